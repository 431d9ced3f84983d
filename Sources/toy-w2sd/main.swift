print("toy-w2sd")
