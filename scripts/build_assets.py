"""Build the front-end assets: install the npm packages and vendor GOV.UK Frontend into static/vendor/govuk/.

Called by `make assets` (and so by `make run` and `make test`). Standard library only, so it runs before
the virtualenv exists. It is idempotent and quick when nothing changed: npm runs only when node_modules is
missing or older than package-lock.json, and a vendored file is rewritten only when its content would change.

SEND Tracker is not a GOV.UK-domain service, so the copy it serves is not the GOV.UK brand:
- the GDS Transport font is removed (its @font-face blocks, its name in every font-family list, its licence
  comment, and the font files), leaving Arial as the Design System specifies for services off GOV.UK;
- the crown and crest are not shipped (the crest image, the crown favicons and icons), and the CSS rules that
  pointed at the crest image point at nothing instead;
- `url(/assets/...)` becomes `url(assets/...)`, relative to the CSS file, so the URLs work under STATIC_URL
  and ManifestStaticFilesStorage hashes them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
LOCK_FILE = ROOT / "package-lock.json"
PACKAGE_FILE = ROOT / "package.json"
SOURCE = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
TARGET = ROOT / "static" / "vendor" / "govuk"

COPIED_FILES = (
    "govuk-frontend.min.css",
    "govuk-frontend.min.css.map",
    "govuk-frontend.min.js",
    "govuk-frontend.min.js.map",
)
CSS_FILE = "govuk-frontend.min.css"

# Everything under assets/ is either the GDS Transport font or crown imagery today; the filter is by name so
# that an unbranded asset added in a later release would still be copied.
EXCLUDED_ASSETS = re.compile(
    r"^(fonts/.*|images/(govuk-crest.*|favicon\..*|govuk-icon-.*|govuk-opengraph-image.*)|manifest\.json)$"
)

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
FONT_LICENCE_COMMENT = re.compile(r"/\*![^*]*GDS Transport[^*]*\*/|/\*![^*]*Margaret Calvert[^*]*\*/")
GDS_TRANSPORT_IN_LIST = re.compile(r"""(["']?)GDS Transport\1\s*,\s*""")
CREST_URL = re.compile(r"url\(\s*['\"]?/assets/images/govuk-crest\.svg['\"]?\s*\)")
ROOT_ASSET_URL = re.compile(r"url\((['\"]?)/assets/")


class BuildError(Exception):
    """A problem the person running the build can fix; printed without a traceback."""


def main() -> int:
    try:
        ensure_node_modules()
        vendor_govuk_frontend()
    except BuildError as exc:
        print(f"build_assets: {exc}", file=sys.stderr)
        return 1
    return 0


def ensure_node_modules() -> None:
    """Run npm only when node_modules is missing or older than the lock file."""
    if not PACKAGE_FILE.is_file():
        raise BuildError(f"{PACKAGE_FILE} is missing.")
    marker = NODE_MODULES / ".package-lock.json"  # npm rewrites this on every install
    if marker.is_file() and (not LOCK_FILE.is_file() or marker.stat().st_mtime >= LOCK_FILE.stat().st_mtime):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(
            "npm is not installed, and it is needed once to fetch GOV.UK Frontend. "
            "Install Node.js 18 or newer with npm (Debian/Ubuntu: apt-get install nodejs npm), "
            "then run `make assets`."
        )
    command = [npm, "ci"] if LOCK_FILE.is_file() else [npm, "install"]
    print(f"build_assets: running {' '.join(command[1:])} for the npm packages", flush=True)
    result = subprocess.run([*command, "--no-audit", "--no-fund"], cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"`npm {command[1]}` failed (exit {result.returncode}); see its output above.")
    # npm ci keeps the lock's timestamp; touch the marker so the next run sees node_modules as up to date.
    marker.touch()


def vendor_govuk_frontend() -> None:
    if not SOURCE.is_dir():
        raise BuildError(f"{SOURCE} is missing: delete node_modules and run `make assets` again.")
    changed = 0
    for name in COPIED_FILES:
        source = SOURCE / name
        if not source.is_file():
            raise BuildError(f"{source} is missing from the govuk-frontend package.")
        data = source.read_bytes()
        if name == CSS_FILE:
            data = rewrite_css(data.decode("utf-8")).encode("utf-8")
        changed += write_if_changed(TARGET / name, data)
    changed += copy_assets(SOURCE / "assets", TARGET / "assets")
    if changed:
        print(f"build_assets: updated {changed} file(s) in {TARGET.relative_to(ROOT)}")


def rewrite_css(css: str) -> str:
    """Remove the GDS Transport font and the crest, and make asset URLs relative to the CSS file."""
    css = FONT_LICENCE_COMMENT.sub("", css)
    css = FONT_FACE.sub(lambda match: "" if "GDS Transport" in match.group(0) else match.group(0), css)
    css = GDS_TRANSPORT_IN_LIST.sub("", css)
    css = CREST_URL.sub("none", css)
    css = ROOT_ASSET_URL.sub(r"url(\1assets/", css)
    if "GDS Transport" in css:
        raise BuildError("GDS Transport is still named in the CSS after rewriting: the rewrite rules need updating.")
    return css


def copy_assets(source: Path, target: Path) -> int:
    """Copy the unbranded assets and remove anything in the target that should no longer be there."""
    wanted: set[Path] = set()
    changed = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or EXCLUDED_ASSETS.match(relative.as_posix()):
            continue
        wanted.add(relative)
        changed += write_if_changed(target / relative, path.read_bytes())
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def write_if_changed(path: Path, data: bytes) -> int:
    if path.is_file() and path.read_bytes() == data:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return 1


if __name__ == "__main__":
    sys.exit(main())
