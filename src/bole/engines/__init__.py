"""Pure computation: NumPy/SciPy functions on arrays. No Django, no app imports."""
