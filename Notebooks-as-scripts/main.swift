print("notebooks: placeholder during refactor")
