import Toy
