"""Remove what a killed class rehearsal left behind: `make classroom-clean`.

A rehearsal cleans up after itself, also on Ctrl+C, SIGTERM and SIGHUP. Only a SIGKILL (or a
power cut) leaves its hub, servers, git daemon, ``rehearsal-*`` Unix users and home folders
behind; each run wrote them down in ``<tmp>/lstm-classroom-*/created.json``, and this undoes
the runs whose owner process is gone (``--all``: every run, also a live one).
"""

import argparse

from classroom.hub import cleanup_record, stale_records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="also runs that are still going")
    args = parser.parse_args(argv)
    records = stale_records(everything=args.all)
    for record in records:
        print(f"{record.parent}:")
        for line in cleanup_record(record) or ["nothing left to undo"]:
            print(f"  {line}")
    print(f"{len(records)} rehearsal run(s) cleaned up")


if __name__ == "__main__":
    main()
