"""The `lmc` console script: signals are handled from its first line, imports included.

On the first SIGINT (Ctrl-C), SIGTERM or SIGHUP lmc ignores any further one, unwinds (every
writer removes its temporary file), removes what is still registered in lmc_cli.tempfiles,
prints one line (`lmc: interrupted`), then restores the default handler and sends itself the
same signal: the shell sees 130, 143 or 129, and a `for ... do lmc ...; done` loop stops
(bash stops a loop only when the child was killed by the signal, not when it exits 130).

The handlers are installed here, by the console entry, and never by importing the library.
A signal that arrives inside Python's own start-up, before this module's first line, is out
of lmc's reach (Python then prints its own KeyboardInterrupt traceback, or dies silently).
"""

from __future__ import annotations

import os
import signal
import sys

# Only modules Python has loaded before lmc's first line (os, sys; signal is built in, and
# typing is not imported): the handlers must be in place before anything slow is imported.

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_received: list[int] = []


def _on_signal(signum: int, frame: object) -> None:
    for number in HANDLED:  # the first signal wins: a second Ctrl-C must not interrupt the clean-up
        signal.signal(number, signal.SIG_IGN)
    _received.append(signum)
    errors = sys.modules.get("lmc_cli.errors")
    interrupted = getattr(errors, "Interrupted", None)
    if interrupted is None:  # still importing lmc_cli.errors: unwind all the same
        raise KeyboardInterrupt
    raise interrupted(signum)


def install_signal_handlers() -> None:
    """SIGINT, SIGTERM and SIGHUP raise Interrupted (a BaseException no layer swallows)."""
    for number in HANDLED:
        if signal.getsignal(number) is signal.SIG_IGN:
            continue  # ignored by whoever started lmc (nohup, a background job): keep it so
        signal.signal(number, _on_signal)
    global _previous_unraisable_hook
    if sys.unraisablehook is not _on_unraisable:
        _previous_unraisable_hook = sys.unraisablehook
        sys.unraisablehook = _on_unraisable


_previous_unraisable_hook = sys.unraisablehook


def _on_unraisable(unraisable: object) -> None:
    """A signal that lands in code Python cannot raise from (a weakref callback of the import
    machinery, a __del__) would be printed as "Exception ignored in ..." and then lost, the run
    going on as if no Ctrl-C had come: finish as interrupted instead."""
    value = getattr(unraisable, "exc_value", None)
    errors = sys.modules.get("lmc_cli.errors")
    ours = (KeyboardInterrupt, getattr(errors, "Interrupted", KeyboardInterrupt))
    if _received and isinstance(value, ours):
        finish_interrupted()
    _previous_unraisable_hook(unraisable)  # type: ignore[arg-type]


install_interrupt_handler = install_signal_handlers  # the name lmc 0.1 used


def finish_interrupted(signum: int | None = None) -> None:
    """Clean up, say so in one line, and end by the signal itself (never returns)."""
    for number in HANDLED:
        signal.signal(number, signal.SIG_IGN)
    signum = signum or (_received[0] if _received else signal.SIGINT)
    try:  # not imported: nothing is registered (and importing now could wait on an import lock)
        tempfiles = sys.modules.get("lmc_cli.tempfiles")
        if tempfiles is not None:
            tempfiles.remove_all()
    except BaseException:  # noqa: BLE001 - nothing may stop the exit
        pass
    try:
        if sys.stderr is not None:
            sys.stderr.write("lmc: interrupted\n")
            sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        pass
    _silence_stdout()
    signal.signal(signum, signal.SIG_DFL)
    try:  # noqa: SIM105 - held by code the signal cut short, it would wait: exit 128 + signum
        signal.pthread_sigmask(signal.SIG_UNBLOCK, (signum,))
    except BaseException:  # noqa: BLE001 - nothing may stop the exit
        pass
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # only if the signal did not end the process


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null so that Python's flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _finish_output() -> int | None:
    """Flush what Click or Typer left in sys.stdout; a failure is exit 74 (one line), not a traceback."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        try:  # noqa: SIM105 - contextlib is not imported yet
            sys.stderr.write(f"lmc: cannot write output: {exc.strerror or exc}\n")
        except (OSError, ValueError, AttributeError):
            pass
        return 74
    return None


def main() -> None:
    try:
        install_signal_handlers()  # inside the try: a Ctrl-C before it is done still ends cleanly
        from lmc_cli.cli.run import main as run

        collect_less()
        try:
            run()
        except SystemExit as done:
            failed = _finish_output()
            raise SystemExit(failed if failed is not None and not done.code else done.code) from None
        failed = _finish_output()
        if failed is not None:
            sys.exit(failed)
    except KeyboardInterrupt:  # Python's own handler, before install_signal_handlers was done
        finish_interrupted(signal.SIGINT)
    except BaseException:
        # Once a signal has arrived, whatever comes out is its doing: Interrupted itself, or an
        # exception it turned into (Python 3.11 wraps it in RuntimeError inside __set_name__).
        if _received:
            finish_interrupted()
        raise


# Allocations between two runs of the cyclic garbage collector (Python's default: 700).
COLLECT_EVERY = 100_000


def collect_less() -> None:
    """Keep the cyclic garbage collector out of a command's way (the console script only).

    A run builds and drops up to millions of objects, nearly all freed by reference counting;
    at Python's default threshold the collector still walks them, and every module imported,
    again and again: 22-26 ms of a warm one-year `timeline` of the 100k pack (97 collections),
    0.64 s of its `list -f json`, 7-12 ms of `show` or `list` on the bundled facts. What is
    loaded by now (Typer, Click, lmc's CLI) is frozen out of every collection, and a
    collection runs every COLLECT_EVERY allocations: a cycle left behind is still freed."""
    import gc

    gc.freeze()
    gc.set_threshold(COLLECT_EVERY, 10, 10)


def signal_received() -> bool:
    """Whether SIGINT, SIGTERM or SIGHUP has arrived (the CLI's last line of defence asks)."""
    return bool(_received)
