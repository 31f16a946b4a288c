"""The README's first command on a fresh machine: a new virtualenv, `pip install -e .` without
the test extra, then ingest, search and serve, so that a dependency missing from setup.cfg
fails here rather than on a newcomer's machine."""
from __future__ import annotations

import ast
import configparser
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from render import REPO
from web_support import BULLETIN_ISSUE, BULLETIN_TITLE

PACKAGES = ("ingest", "index", "search_app")


def declared_requirements() -> set[str]:
    """The distribution names in setup.cfg's install_requires, normalized."""
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    lines = config["options"]["install_requires"].strip().splitlines()
    return {normalize(re.split(r"[<>=!~;\[ ]", line.strip(), maxsplit=1)[0]) for line in lines}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def third_party_imports() -> dict[str, set[str]]:
    """Every top-level module the packages import that is neither ours nor the stdlib."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in PACKAGES and top not in sys.stdlib_module_names:
                        found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


def test_every_third_party_import_is_declared_in_install_requires():
    declared = declared_requirements()
    distributions = packages_distributions()
    imports = third_party_imports()
    assert {"numpy", "whoosh", "jieba", "flask", "waitress"} <= set(imports)
    undeclared = {}
    for module, files in imports.items():
        providers = {normalize(d) for d in distributions.get(module, [module])}
        if not providers & declared:
            undeclared[module] = sorted(files)
    assert undeclared == {}, f"imported but not in install_requires: {undeclared}"


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtualenv with the package installed as the README says, without the test extra."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e",
                           str(REPO)], capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return venv


def venv_run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(venv / "bin" / "gongwen"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_fresh_venv_has_no_test_extra(fresh_venv):
    proc = subprocess.run([str(fresh_venv / "bin" / "python"), "-c",
                           "import importlib.util as u; "
                           "print([m for m in ('bm25s', 'pytest', 'reportlab', 'selenium') "
                           "if u.find_spec(m)])"], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_fresh_install_ingests_and_searches_the_bundled_corpus(fresh_venv, tmp_path):
    index = tmp_path / "idx"
    proc = venv_run(fresh_venv, "ingest", str(REPO / "corpus"), "--index", str(index), "-q",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "新增 4，更新 0，未变 0，删除 0，失败 0（写入 4 篇文档）"
    proc = venv_run(fresh_venv, "search", "产改", "--index", str(index), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "产业工人队伍建设改革" in data["expansions"]
    first = data["results"][0]
    assert (first["doc_id"], first["title"], first["issue"]) == (
        "gaigekuaibao-2021-12", BULLETIN_TITLE, BULLETIN_ISSUE)
    assert "产改" in first["passages"][0]["text"]


def test_fresh_install_serves_the_bundled_corpus(fresh_venv, tmp_path):
    """`gongwen serve` from the new venv, in a folder with no index: it builds one and serves."""
    proc = subprocess.Popen([str(fresh_venv / "bin" / "gongwen"), "serve", "--port", "0"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={k: v for k, v in os.environ.items()
                                            if k not in ("VIRTUAL_ENV", "PYTHONPATH",
                                                         "GONGWEN_INDEX")})
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("正在服务"):
                break
        served = re.search(r"http://127\.0\.0\.1:\d+/", lines[-1] if lines else "")
        assert served, f"serve did not start: {lines} {proc.stderr.read() if proc.poll() else ''}"
        url = served.group(0)
        assert lines[0].startswith(f"索引 {Path('instance') / 'index'} 不存在，正在用 ")
        with urllib.request.urlopen(url, timeout=60) as r:
            assert r.status == 200 and 'name="q"' in r.read().decode("utf-8")
        with urllib.request.urlopen(f"{url}api/search?q={urllib.parse.quote('产改')}",
                                    timeout=60) as r:
            assert r.status == 200
            assert json.load(r)["results"][0]["title"] == BULLETIN_TITLE
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert (tmp_path / "instance" / "index" / "gongwen-index.json").is_file()
