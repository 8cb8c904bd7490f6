"""One root for the app's folders: the profile in use, the folder of every profile, the log folder.

Resolved once, in ``__main__``, from (in this order) ``--data-dir``, ``$DTTS_DATA_DIR``, portable mode (a
``portable.txt`` beside the frozen executable) and the user's folders from ``platformdirs``; then passed
down. No other module works out a folder by walking up from a profile: the log folder in particular is
never ``data_dir.parent.parent``, which put ``DTTS_DATA_DIR=/data`` logs at ``/logs``.

=================  ============================  ==========================  ===========================
chosen by          profile                       every profile (picker)      logs
=================  ============================  ==========================  ===========================
``--data-dir X``   ``X``                         ``X/..``                    ``X/logs``
``DTTS_DATA_DIR``  ``X``                         ``X/..``                    ``X/logs``
portable           ``<exe>/data/profiles/default``  ``<exe>/data/profiles``  ``<exe>/data/logs``
user               ``<user data>/profiles/default``  ``<user data>/profiles`` ``platformdirs`` user log dir
=================  ============================  ==========================  ===========================

Only ``--data-dir`` is *explicit*: it opens that profile without the profile picker.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "DTTSClient"
ENV_DATA_DIR = "DTTS_DATA_DIR"
DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class AppDirs:
    """The folders of one run of the app.

    Attributes:
        data_dir: the profile folder to open (before the profile picker, if any, chooses another).
        profiles_root: the folder holding every profile (the picker lists it; new profiles go there).
        log_dir: where the rotating log goes.
        explicit: the profile was named on the command line (no picker).
        source: what chose the folders: "argument", "environment", "portable" or "user".
    """

    data_dir: Path
    profiles_root: Path
    log_dir: Path
    explicit: bool
    source: str

    def for_profile(self, data_dir: Path) -> AppDirs:
        """The same run with another profile of the same root (the picker's choice); logs stay put."""
        return AppDirs(Path(data_dir), self.profiles_root, self.log_dir, self.explicit, self.source)


def resolve_dirs(
    data_dir_arg: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None
) -> AppDirs:
    """The app's folders for this run.

    Args:
        data_dir_arg: the ``--data-dir`` argument, or None.
        environ: the environment (``os.environ`` when None).
    """
    env = os.environ if environ is None else environ
    if data_dir_arg is not None:
        profile = Path(data_dir_arg).expanduser().resolve()
        return AppDirs(profile, profile.parent, profile / "logs", explicit=True, source="argument")
    if named := env.get(ENV_DATA_DIR):
        profile = Path(named).expanduser().absolute()
        return AppDirs(profile, profile.parent, profile / "logs", explicit=False, source="environment")
    from dttsclient.portable import portable_root  # portable.txt beside the frozen executable

    if (root := portable_root()) is not None:
        profiles = root / "data" / "profiles"
        return AppDirs(
            profiles / DEFAULT_PROFILE, profiles, root / "data" / "logs", explicit=False, source="portable"
        )
    import platformdirs

    profiles = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "profiles"
    logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    return AppDirs(profiles / DEFAULT_PROFILE, profiles, logs, explicit=False, source="user")


__all__ = ["APP_NAME", "ENV_DATA_DIR", "AppDirs", "resolve_dirs"]
