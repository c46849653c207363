"""Copy front-end assets installed from the npm registry (package-lock.json) into static/vendor."""

import shutil
import sys
from pathlib import Path

ASSETS = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "pico.min.css": "@picocss/pico/css/pico.min.css",
}


def install(node_modules: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, rel in ASSETS.items():
        src = node_modules / rel
        if not src.exists():
            sys.exit(f"missing {src}: run `npm ci` first")
        shutil.copyfile(src, target / name)


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    install(root / "node_modules", Path(__file__).resolve().parent.parent / "static" / "vendor")
    print("static assets installed")
