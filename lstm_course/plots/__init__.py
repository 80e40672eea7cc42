"""Drawing only: every function takes a matplotlib Axes (or Figure), draws, and returns it.

No ``plt.show()``, no ``savefig``, no rcParams changes. One module a picture.
"""
