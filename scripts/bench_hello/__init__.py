"""A bare Django project with one view, the floor `make bench-serve` compares Stemhulp to."""
