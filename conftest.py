"""Suite-wide pytest set-up.

nbval compares every stored output of every notebook (strict mode), except stderr:
warnings and progress bars written there vary from machine to machine and carry no lesson.
"""

import nbval.plugin


def _without_stderr(outputs: list) -> list:
    return [
        o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
    ]


_compare_outputs = nbval.plugin.IPyNbCell.compare_outputs


def _compare_outputs_ignoring_stderr(self, test, ref, skip_compare=None):
    return _compare_outputs(self, _without_stderr(test), _without_stderr(ref), skip_compare)


nbval.plugin.IPyNbCell.compare_outputs = _compare_outputs_ignoring_stderr
