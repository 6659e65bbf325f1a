"""Downloading URLs (httpx): timeouts, a size limit enforced while streaming, one retry with backoff."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

import httpx

from storydiff import __version__
from storydiff.model import RawDocument
from storydiff.readers.files import DEFAULT_MAX_SIZE, ReadError

USER_AGENT = f"storydiff/{__version__}"
_RETRY_STATUS = {429, 500, 502, 503, 504}


class _TooLarge(Exception):
    pass


def _download(client: httpx.Client, url: str, max_size: int) -> tuple[bytes, str, str]:
    with client.stream("GET", url) as response:
        if response.status_code in _RETRY_STATUS:
            raise httpx.HTTPStatusError(
                f"HTTP {response.status_code}", request=response.request, response=response
            )
        if response.status_code != 200:
            raise ReadError(url, f"HTTP {response.status_code}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_size:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_size:
                raise _TooLarge  # stop reading: the rest never reaches memory
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type", ""), str(response.url)


def fetch_one(
    client: httpx.Client, url: str, *, max_size: int = DEFAULT_MAX_SIZE, backoff: float = 1.0
) -> RawDocument | ReadError:
    """One URL as a RawDocument, or the reason it could not be fetched. At most one retry."""
    last = ""
    for attempt in range(2):
        if attempt:
            time.sleep(backoff)
        try:
            body, ctype, final_url = _download(client, url, max_size)
        except ReadError as exc:
            return exc
        except _TooLarge:
            return ReadError(url, f"larger than the size limit of {max_size} bytes")
        except httpx.HTTPStatusError as exc:
            last = str(exc)
            continue
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
                break
            continue
        fmt = "text" if ctype.startswith("text/plain") else "html"
        return RawDocument(
            origin=url, content=body, format=fmt, hints={"url": final_url, "content_type": ctype.lower()}
        )
    return ReadError(url, f"download failed ({last})")


def fetch_urls(
    urls: Iterable[str], *, max_size: int = DEFAULT_MAX_SIZE, timeout: float = 20.0, backoff: float = 1.0
) -> Iterator[RawDocument | ReadError]:
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=True) as client:
        for url in urls:
            yield fetch_one(client, url, max_size=max_size, backoff=backoff)
