"""The `gongwen` command line: ingest, search, show and serve; thin over the library."""
from __future__ import annotations

import dataclasses
import functools
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import click

from index import PARSE_SECONDS, SORTS, DocumentLinks, IndexError_, QueryError, SearchResults
from index import CACHE_ENV, DEFAULT_CACHE_MB, parse_cache_mb  # issue 14: bounded caches
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.model import DOC_TYPES, Document, ParseError
from search_app import running
from search_app.advanced_cli import advanced_args, advanced_options
from search_app.citation import cite, document_json
from search_app.cli_cite import BASE_URL, base_url_option, citation_output, write_export
from search_app.config import default_config
from search_app.measures import MeasuresFileError, load_measures, read_measures_file, save_measures
from search_app.measures_text import format_catalogue
from search_app.params import ParamError, parse_search_args
from search_app.serving import (ServerLimits, limit_malloc_arenas, quiet_queue_warnings,
                                raise_file_limit, setup_server_logging)
from search_app.terminal import terminal_json, terminal_line, terminal_text
from search_app.textformat import format_document, format_results

if TYPE_CHECKING:  # issue 14: the index's modules load when a search runs here
    from index import Index

DEFAULT_INDEX = Path("instance") / "index"
INDEX_HELP = ("索引目录。未给出时使用环境变量 GONGWEN_INDEX；"
              "两者都没有时使用当前目录下的 ./instance/index。")
F = TypeVar("F", bound=Callable[..., Any])
# issue 14: `gongwen search` and `show` import neither Flask nor waitress (they are imported
# by the commands that serve or build), and read jieba's dictionary from its cache on demand.
LIMITS = ServerLimits()


def one_line(text: str) -> str:
    """search_app.errors.one_line, imported when an error is shown (it brings Flask)."""
    from search_app.errors import one_line as first_line

    return first_line(text)


def index_exists(path: Path) -> bool:
    """True if an index (of any version) is at path."""
    from index import is_index  # issue 14: whoosh imported only when searching here

    return is_index(path)


def prepare_analysis() -> None:
    """Load the analysis dictionaries, for the commands that index or serve (without
    importing Flask, which indexing does not need)."""
    from index import setup_analysis

    setup_analysis()


class CliError(click.ClickException):
    """A domain error shown as one line on stderr, exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(terminal_line(f"错误：{self.format_message()}"), err=True)


def domain_errors(command: F) -> F:
    """Turn the errors of ingest, index and parameters into one clear line, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except QueryError as e:
            raise CliError(f"检索式有误：{one_line(str(e))}") from e
        except (ParamError, IndexError_, ParseError) as e:
            raise CliError(one_line(str(e))) from e
        except OSError as e:
            where = f"：{e.filename}" if e.filename else ""
            raise CliError(one_line(f"{e.strerror or e}{where}")) from e

    return wrapper  # type: ignore[return-value]


def index_option(command: F) -> F:
    """The --index DIR option shared by every command."""
    return click.option("--index", "index_path", metavar="DIR",
                        envvar="GONGWEN_INDEX", show_envvar=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        default=DEFAULT_INDEX, show_default=True, help=INDEX_HELP)(command)


@contextmanager
def opened_index(index_path: Path, one_query: bool = False) -> Iterator[Index]:
    """The existing index at index_path, closed afterwards; a clear error when it is missing.

    one_query: the process cuts only the query, whose words are looked up rather than
    loading the segmenter's whole dictionary (issue 14: 0.1 s of a search from the shell)."""
    if not index_exists(index_path):
        raise CliError(f"找不到索引：{index_path}"
                       "（请先运行 gongwen ingest PATH，或用 --index 指定目录）")
    from index import open_index, setup_analysis

    if one_query:
        from index import use_word_lookup

        use_word_lookup()
    setup_analysis()
    index = open_index(index_path)
    try:
        yield index
    finally:
        index.close()


def echo_json(obj: Any) -> None:
    """Print obj as the API serializes it, non-ASCII kept as is, control characters escaped."""
    click.echo(terminal_json(obj))


@click.group(help="公文检索（gongwen-search）：工作简报与政策文件的全文检索。\n\n"
                  "索引位置：--index DIR；未给出时读取环境变量 GONGWEN_INDEX；"
                  "都没有时为当前目录下的 ./instance/index。")
@click.version_option(package_name="gongwen-search")
def cli() -> None:
    """The command group; jieba and the index are set up by the commands that need them."""


@cli.command(help="同步索引与 PATH（文件或目录）中的文档：新文件加入，改过的文件替换其旧文档，"
                  "未变的文件跳过（按文件内容的 SHA-256 判断）。索引不存在时自动建立。"
                  "有文件失败时退出状态为 1。")
@click.argument("paths", nargs=-1, required=False,
                type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--measures", "measures_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="载入本单位的政策措施清单（CSV 或 XLSX，列：序号、文件名称、发文字号、出台单位、"
                   "出台时间），保存在索引目录中，取代之前载入的清单；可不给 PATH 单独载入。")
@click.option("--prune", is_flag=True,
              help="删除来源文件已不存在的文档（只限 PATH 之下的文件）。")
@click.option("--rebuild", is_flag=True,
              help="在现有索引旁重新建立完整索引，完成后一步切换（词典或索引结构变更后使用）。")
@click.option("--wait", is_flag=True, help="另一个 gongwen ingest 正在写入时等待它结束，而不是报错。")
@click.option("--report", "report_path", metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="把本次结果（含每个失败文件的原因）写成 JSON 文件。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), metavar="N",
              help="并行解析与索引的进程数（默认：CPU 核数）。")
@click.option("--parse-seconds", type=click.FloatRange(min=0.001), default=PARSE_SECONDS,
              show_default=True, metavar="SECONDS",
              help="单个文件解析超过这么多秒即判为失败，批次继续。")
@click.option("--max-text-mb", type=click.FloatRange(min=0.001),
              default=DEFAULT_LIMITS.max_text_mb, show_default=True, metavar="MB",
              help="一篇文档的文字上限（.txt 文件大小、JSON Lines 一行、PDF/DOCX 提取的文字）；"
                   "超过即判为失败，批次继续。")
@click.option("--max-inflate-mb", type=click.FloatRange(min=0.001),
              default=DEFAULT_LIMITS.max_inflate_mb, show_default=True, metavar="MB",
              help="一个 .gz 文件或一个 DOCX 的全部成员解压后的上限；超过即判为失败（防压缩炸弹）。")
@click.pass_context
@domain_errors
def ingest(ctx: click.Context, paths: tuple[Path, ...], index_path: Path,
           measures_file: Path | None, prune: bool,
           rebuild: bool, wait: bool, report_path: Path | None, quiet: bool,
           jobs: int | None, parse_seconds: float, max_text_mb: float,
           max_inflate_mb: float) -> None:
    """gongwen ingest PATH... : sync the index with the files, print one summary line."""
    if not paths and measures_file is None:
        raise click.UsageError("请给出要索引的 PATH（文件或目录），或用 --measures 载入措施清单。")
    if measures_file is not None:  # issue 12: read it first, so a bad list stops before the batch
        declared = _read_measures(measures_file)
        if not paths:
            _save_measures(index_path, declared, measures_file)
            return
    from search_app.indexing import ingest_into_index

    prepare_analysis()
    bar = ProgressBar() if not quiet and sys.stderr.isatty() else None
    try:
        summary = ingest_into_index(paths, index_path, prune=prune, rebuild=rebuild,
                                    wait=wait, jobs=jobs, parse_seconds=parse_seconds,
                                    progress=bar, limits=Limits(max_text_mb, max_inflate_mb))
    finally:
        if bar is not None:
            bar.close()
    click.echo(summary.line())
    for line in summary.failure_lines() + summary.notice_lines():
        click.echo(terminal_line(line), err=True)
    if report_path is not None:
        summary.write_report(report_path)
    if measures_file is not None:
        _save_measures(index_path, declared, measures_file)
    ctx.exit(0 if summary.ok else 1)


def _read_measures(path: Path) -> tuple[Any, ...]:
    try:
        return read_measures_file(path)
    except MeasuresFileError as e:
        raise CliError(one_line(str(e))) from e


def _save_measures(index_path: Path, declared: tuple[Any, ...], source: Path) -> None:
    save_measures(index_path, declared, source.resolve())
    samples = sum(1 for m in declared if m.sample)
    click.echo(f"已载入措施清单：{source}，{len(declared)} 项"
               + (f"（其中示例 {samples} 项）" if samples else ""))


@cli.command(help="政策措施目录：库中政策文件按出台层级与单位分组，载入的本单位措施清单逐项"
                  "对照索引（已收录／未收录），简报所述措施数量及其构成，以及引用它们的简报段落；"
                  "--json 输出与 /api/measures 相同的 JSON。")
@index_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 /api/measures 相同）。")
@domain_errors
def measures(index_path: Path, as_json: bool) -> None:
    """gongwen measures : the catalogue of policy measures."""
    declared, source = load_measures(index_path)
    with opened_index(index_path) as index:
        found = index.measures_catalogue(declared)
    if as_json:
        echo_json({**found.to_dict(), "declared_source": source})
    else:
        click.echo(terminal_text(format_catalogue(found, source)))


class ProgressBar:
    """tqdm on stderr: files done, of how many, rate and time left."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, done: float, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=sys.stderr, unit="个文件", dynamic_ncols=True,
                             smoothing=0.1, desc="索引",
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total} "
                                        "个文件 [{elapsed}<{remaining}, {rate_fmt}]")
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@cli.command(help="检索 QUERY，输出命中的文档与段落（匹配处用【】标出）；"
                  "--json 输出与 /api/search 相同的 JSON。")
@click.argument("query", required=False, default="")
@index_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 /api/search 相同）。")
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES),
              help="只检索该类型：bulletin 工作简报，policy 政策文件，other 其他。")
@click.option("--year", type=int, help="只检索该年份的文档。")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="排序：relevance 相关度，date 日期（新的在前），date_asc 日期（旧的在前），"
                   "issue 期号（同一刊物按期排列）；未注明日期的排在最后。")
@click.option("--page", type=int, default=1, show_default=True, help="页码。")
@click.option("--no-expand", is_flag=True, help="只检索原词，不同时检索简称与全称、同义词。")
@click.option("--format", "fmt", type=click.Choice(("csv", "xlsx", "ris", "txt")),
              help="导出全部结果（最多 1000 篇）：csv/xlsx 结果表，ris/txt 引文（须同时给出 -o）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="导出文件（与 --format 一起使用）。")
@click.option("--any-words", "any_words", is_flag=True,
              help="包含任一检索词即可（默认须包含全部检索词）。")
@click.option("--local", is_flag=True,
              help="不询问在同一索引上运行的 gongwen serve，在本进程中检索（结果相同）。")
@base_url_option
@advanced_options  # issue 13: the 高级检索 fields (search_app.advanced_cli)
@domain_errors
def search(query: str, index_path: Path, as_json: bool, doc_type: str | None,
           year: int | None, sort: str, page: int, no_expand: bool, fmt: str | None = None,
           output: Path | None = None, base_url: str = BASE_URL, any_words: bool = False,
           local: bool = False, **fields: object) -> None:
    """gongwen search QUERY : ranked documents with their passages."""
    args = {"q": query, "type": doc_type, "year": year, "sort": sort, "page": page,
            "expand": "0" if no_expand else None, "any_words": "1" if any_words else None,
            **advanced_args(fields)}
    args = {k: v for k, v in args.items() if v is not None}
    request = parse_search_args(args, default_config())
    if (fmt is None) != (output is None):
        raise CliError("--format 与 -o 须同时给出：例如 --format csv -o 结果.csv")
    if fmt is not None and output is not None:  # issue 12: an export instead of the list
        with opened_index(index_path) as index:
            n = write_export(index, request, fmt, output, base_url)
        click.echo(terminal_line(f"已导出 {n} 篇到 {output}"), err=True)
        return
    # issue 14: a `gongwen serve` on this index answers without loading anything here
    answer = None if local else running.ask(index_path, "/api/search", args, default_config())
    if answer is not None:
        if as_json:
            echo_json(answer)
        else:
            click.echo(terminal_text(format_results(SearchResults.from_dict(answer))))
        return
    if not as_json:  # the list printed shows no facets: counting them is most of a search
        request = dataclasses.replace(request, facets=False)
    with opened_index(index_path, one_query=True) as index:
        results = index.search(request)
    if as_json:
        echo_json(results.to_dict())
    else:
        click.echo(terminal_text(format_results(results)))


@cli.command(help="显示一篇文档的元数据与全文；"
                  "--json 输出与 /api/documents/<doc_id> 相同的 JSON。")
@click.argument("doc_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 /api/documents 相同）。")
@click.option("--local", is_flag=True,
              help="不询问在同一索引上运行的 gongwen serve，在本进程中读取（结果相同）。")
@base_url_option
@domain_errors
def show(doc_id: str, index_path: Path, as_json: bool, base_url: str = BASE_URL,
         local: bool = False) -> None:
    """gongwen show DOC_ID : one document's metadata and sections."""
    # issue 14: a `gongwen serve` on this index answers; the citations and file links are
    # made here, with this command's --base-url (the server's carry its own address)
    answer = None if local else running.ask(index_path, "/api/documents/" + quote(doc_id, safe=""),
                                            {}, default_config())
    if answer is not None:
        doc = Document.from_dict(answer)
        if as_json:
            links = {f.name: answer[f.name] for f in dataclass_fields(DocumentLinks)}
            echo_json({**document_json(doc, base_url), **links})
        else:
            click.echo(terminal_text(format_document(doc, cite(doc, base_url).text)))
        return
    with opened_index(index_path) as index:
        doc = index.get_document(doc_id)
        from search_app.citations import with_links  # Flask's url_for: only for --json

        # issue 12: GB/T 7714 citation objects, citations resolved, cited_by, related
        payload = with_links(index, doc, document_json(doc, base_url)) \
            if doc is not None and as_json else None
    if doc is None:
        raise CliError(f"索引中没有文档：{doc_id}")
    if as_json:
        echo_json(payload)
    else:
        click.echo(terminal_text(format_document(doc, cite(doc, base_url).text)))


@cli.command(help="启动网页检索服务（默认每个核一个 waitress 进程，由 gunicorn 的主进程管理）。"
                  "索引不存在时先用语料目录建立索引。"
                  "按 Ctrl-C 退出。各项上限的取值与理由见 README 的 Serving 一节。")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True,
              help="监听端口（0 表示任选一个空闲端口）。")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="索引不存在时用来建立索引的语料目录；默认为内置的 corpus/。")
@click.option("--threads", type=click.IntRange(1, 256), default=LIMITS.threads,
              show_default=True, help="每个服务进程处理请求的线程数。")
@click.option("--connection-limit", type=click.IntRange(1, 100_000),
              default=LIMITS.connection_limit, show_default=True,
              help="每个服务进程同时打开的连接数上限（含空闲连接）；达到后暂停接受新连接。")
@click.option("--channel-timeout", type=click.IntRange(1, 3600),
              default=LIMITS.channel_timeout, show_default=True, metavar="SECONDS",
              help="空闲连接保留的秒数，超过即关闭。")
@click.option("--backlog", type=click.IntRange(1, 65535), default=LIMITS.backlog,
              show_default=True, help="内核中等待接受的连接队列长度。")
@click.option("--waitress-defaults", is_flag=True,
              help="改用 waitress 自带的默认设置，日志也不做限流（仅供对比测试）。")
@click.option("--workers", metavar="N",
              help="服务进程数，各自打开索引、各用 --threads 个线程；默认为本机可用的核数，"
                   "1 表示单个进程（Windows 上总是 1）。")
@click.option("--cache-mb", envvar=CACHE_ENV, default=str(DEFAULT_CACHE_MB), show_default=True,
              metavar="MB", help=f"每个服务进程的检索缓存占用内存的上限（该进程各线程共用）；"
                                 f"也可用环境变量 {CACHE_ENV} 设置。")
@domain_errors
def serve(index_path: Path, host: str, port: int, corpus: Path | None, threads: int,
          connection_limit: int, channel_timeout: int, backlog: int,
          waitress_defaults: bool, workers: str | None, cache_mb: str) -> None:
    """gongwen serve : build the index if missing, then serve the web UI and API."""
    import waitress

    from search_app import create_app
    from search_app.indexing import bundled_corpus, ingest_into_index
    from search_app.store import close_index, get_store

    processes = _worker_count(workers)  # a wrong value stops before anything is built
    limit_malloc_arenas()  # before any thread is started (README, Serving)
    cache = parse_cache_mb(cache_mb, f"--cache-mb（或 {CACHE_ENV}）")
    prepare_analysis()
    if not index_exists(index_path):
        source = corpus or bundled_corpus()
        if not source.is_dir():
            raise CliError(f"找不到索引 {index_path}，也找不到语料目录 {source}"
                           "（请先运行 gongwen ingest PATH，或用 --corpus 指定语料目录）")
        click.echo(terminal_line(f"索引 {index_path} 不存在，正在用 {source} 建立……"))
        summary = ingest_into_index([source], index_path)
        click.echo(summary.line())
        for line in summary.failure_lines() + summary.notice_lines():
            click.echo(terminal_line(line), err=True)
    app = create_app({"INDEX_PATH": index_path, "CACHE_MB": cache})
    get_store(app).get()  # fail now, with one line, rather than on the first request
    _warm(app)  # issue 14: before the fork, so that the workers share what it builds
    setup_server_logging()
    # --waitress-defaults is the baseline of benchmarks/serving.py: waitress as it comes.
    limits = ServerLimits(threads=threads, connection_limit=connection_limit,
                          channel_timeout=channel_timeout, backlog=backlog)
    if processes > 1:  # issue 14: gunicorn's master, one waitress per worker process
        _serve_prefork(app, index_path, host, port, processes, limits, waitress_defaults)
        return
    settings = {} if waitress_defaults else _applied(limits)
    try:
        server = waitress.create_server(app, host=host, port=port, **settings)
    except OSError as e:
        close_index(app)
        raise CliError(f"无法在 {host}:{port} 上启动服务：{e.strerror or e}") from e
    # issue 14: `gongwen search` on this index may ask this server (search_app/running.py)
    record = running.announce(app, index_path, host, int(server.effective_port))
    click.echo(f"正在服务 http://{host}:{server.effective_port}/ （按 Ctrl-C 退出）")
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop, like Ctrl-C
    try:
        server.run()  # returns on Ctrl-C: waitress catches KeyboardInterrupt itself
    except KeyboardInterrupt:
        pass
    finally:
        running.withdraw(record)
        server.close()
        close_index(app)
    click.echo("已停止。")


def _worker_count(value: str | None) -> int:
    """--workers as a number of processes; one where processes cannot be forked."""
    from search_app.serving import MAX_WORKERS, can_fork, default_workers

    if value is None:
        count = default_workers()
    else:
        try:
            count = int(value.strip())
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_WORKERS:
            raise CliError(f"--workers 应为 1 到 {MAX_WORKERS} 之间的整数，收到的是 {value!r}")
    return count if can_fork() else 1


def _serve_prefork(app: Any, index_path: Path, host: str, port: int, processes: int,
                   limits: ServerLimits, waitress_defaults: bool) -> None:
    """Serve app from `processes` forked workers until SIGTERM or Ctrl-C."""
    import socket

    from search_app.prefork import PreforkSettings, run_prefork
    from search_app.store import close_index, get_store

    # The index stays open, warmed, until the first workers are forked: they inherit its maps
    # and arrays (README, Serving). Then the master lets go of it, so that it maps no files a
    # rebuild or a merge deletes; a worker that replaces a dead one opens and warms its own.
    try:
        listener = socket.create_server((host, port), family=(
            socket.AF_INET6 if ":" in host else socket.AF_INET), backlog=limits.backlog)
    except OSError as e:
        raise CliError(f"无法在 {host}:{port} 上启动服务：{e.strerror or e}") from e
    if not waitress_defaults:
        quiet_queue_warnings()

    def ready(_host: str, bound_port: int) -> None:
        click.echo(f"正在服务 http://{host}:{bound_port}/ （{processes} 个进程，按 Ctrl-C 退出）")

    # the app is built here, before the fork: the workers' answers carry the record's token
    record = running.announce(app, index_path, host, int(listener.getsockname()[1]))
    try:
        status = run_prefork(app, PreforkSettings(listener, processes, limits, waitress_defaults),
                             ready, _worker_index, lambda: close_index(app))
    finally:
        running.withdraw(record)
    if status != 0:  # gunicorn has logged why (a worker that could not boot, …)
        raise CliError(f"服务异常停止（gunicorn 主进程退出状态 {status}，原因见上方日志）")
    click.echo("已停止。")


def _worker_index(app: Any) -> None:
    """In a forked worker: the index it inherited, or (a replacement worker) its own, warmed."""
    from search_app.store import get_store

    store = get_store(app)
    if not store.is_open():
        store.get()
        _warm(app)


def _warm(app: Any) -> None:
    """Warm the app's index; a failure is one line on stderr, and the server still starts."""
    from search_app.store import warm_index

    reason = warm_index(app)
    if reason is not None:
        click.echo(terminal_line(f"提示：索引预热失败，照常启动服务（首批检索会慢一些）：{reason}"),
                   err=True)


def _applied(limits: ServerLimits) -> dict[str, Any]:
    """Make room for the limits in this process; return them as waitress.create_server kwargs."""
    files = raise_file_limit(limits.connection_limit)
    if files < limits.connection_limit + 64:
        click.echo(f"提示：本进程最多打开 {files} 个文件，少于 --connection-limit "
                   f"{limits.connection_limit} 所需；请提高 ulimit -Hn 或降低 --connection-limit",
                   err=True)
    quiet_queue_warnings()
    return limits.waitress_kwargs()


@cli.command(help="把索引的所有段合并为一个（清除已删除的记录）。平时的写入只合并小段，"
                  "大段的合并留给此命令，可在空闲时运行；运行期间检索服务照常应答。")
@index_option
@click.option("--wait", is_flag=True, help="另一个 gongwen ingest 正在写入时等待它结束，而不是报错。")
@domain_errors
def optimize(index_path: Path, wait: bool) -> None:
    """gongwen optimize : merge every segment of the index into one."""
    from index import optimize_index

    if not index_exists(index_path):
        raise CliError(f"找不到索引：{index_path}"
                       "（请先运行 gongwen ingest PATH，或用 --index 指定目录）")
    prepare_analysis()
    r = optimize_index(index_path, wait=wait)
    click.echo(f"已合并：{r.segments_before} 段 → {r.segments_after} 段，"
               f"{r.bytes_before / 1e6:.1f} MB → {r.bytes_after / 1e6:.1f} MB，"
               f"用时 {r.seconds:.1f} 秒")


@cli.command("cite", help="输出一篇文档（或 --passage 指定的段落）的 GB/T 7714—2015 引文。")
@click.argument("doc_id")
@click.option("--passage", "passage_id", metavar="ID", help="段落编号（p1、p2 …）：引用该段及其页码。")
@click.option("--format", "fmt", type=click.Choice(("txt", "json", "ris")), default="txt",
              show_default=True, help="txt 引文，json 引文及其各部分（同 API），ris 文献管理软件格式。")
@index_option
@base_url_option
@domain_errors
def cite_command(doc_id: str, passage_id: str | None, fmt: str, index_path: Path,
                 base_url: str) -> None:
    """gongwen cite DOC_ID [--passage ID] : a GB/T 7714 citation."""
    with opened_index(index_path) as index:
        try:
            text = citation_output(index, doc_id, passage_id, base_url, fmt)
        except click.ClickException as e:
            raise CliError(e.format_message()) from e
    click.echo(terminal_text(text))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point (`gongwen`)."""
    cli(prog_name="gongwen")


if __name__ == "__main__":
    main()
