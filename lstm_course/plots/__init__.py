"""Drawing only: every function takes a matplotlib Axes (or Figure), draws, and returns it.

No ``plt.show()``, no ``savefig``, no rcParams changes of their own. One module a picture. Titles,
axis labels and legends go through ``lstm_course.i18n._`` at drawing time; when the package
speaks Chinese (``LSTM_COURSE_LANG=zh``), importing the plots gives matplotlib its CJK font.
"""

from lstm_course.i18n import font_for_language

font_for_language()
