"""``Client``: the base class of every generated service client.

A generated subclass sets ``_api`` (the API data) and ``_errors`` (error code ->
exception class); each generated method is one call to ``_call``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from botocore import xform_name

from .checksums import check_body_crc32
from .config import ResolvedConfig, check_config, resolve_config
from .endpoints import package_rules
from .errors import PawsError, ResponseParseError, ServiceError
from .events import EventStream, event_stream_member, iter_event_batches, track_events
from .http import Deadline, HttpClient, HttpRequest, HttpResponse, user_agent
from .paginate import Paginator
from .protocol import build_request, parse_error, parse_response
from .retry import RetryPolicy, call_with_retries
from .signer import hide_secrets, sign_request
from .stop import StoppedEvents, StopStream
from .validate import validate
from .wait import Waiter
from .wire import fill_idempotency_tokens, ordered

EventCallback = Callable[[dict[str, Any]], Any]


class Client:
    """Base client: configuration, validation, signing, retries and response parsing.

    A client is thread-safe: share one across threads. Its configuration is resolved
    once (under a lock), its credentials provider is botocore's (refreshes are
    locked), and each call takes its own pooled connection (up to 64 per host kept
    open, ``pawscore.http.POOL_CONNECTIONS``), so 64 threads stream at once over 64
    reused connections.

    ``retry_policy`` may be set to a ``RetryPolicy`` to override the standard one
    (tests use it to inject a sleep function).
    """

    _api: ClassVar[dict[str, Any]] = {"metadata": {}, "operations": {}, "shapes": {}}
    _errors: ClassVar[Mapping[str, type[ServiceError]]] = {}

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        # Keys and types are checked now; region, endpoint and credentials are looked
        # up at the first call, so building a client never touches the environment.
        self._config_input = check_config(config)
        self._resolved: ResolvedConfig | None = None
        self._http: HttpClient | None = None
        self._lock = threading.Lock()
        self.retry_policy: RetryPolicy | None = None

    def __repr__(self) -> str:
        shown = {k: v for k, v in self._config_input.items() if k != "credentials"}
        if "credentials" in self._config_input:
            shown["credentials"] = "<hidden>"
        return f"{type(self).__name__}(config={shown!r})"

    def can_paginate(self, operation_name: str) -> bool:
        """True when the operation (``"list_functions"`` or ``"ListFunctions"``) has a paginator."""
        op = _operation_name(self._api, operation_name)
        return op is not None and op in self._api.get("paginators", {})

    def get_paginator(self, operation_name: str) -> Paginator:
        """A boto3-style paginator: ``get_paginator("list_functions").paginate(...)``."""
        op = _operation_name(self._api, operation_name)
        if op is None or op not in self._api.get("paginators", {}):
            raise PawsError(f"{operation_name!r} cannot be paginated")
        return Paginator(lambda p: self._call(op, p), self._api["paginators"][op], op)

    @property
    def waiter_names(self) -> list[str]:
        """The waiters of this service, snake_case as boto3 names them."""
        return sorted(xform_name(name) for name in self._api.get("waiters", {}))

    def get_waiter(self, waiter_name: str) -> Waiter:
        """A boto3-style waiter: ``get_waiter("function_active_v2").wait(FunctionName=...)``."""
        waiters = self._api.get("waiters", {})
        key = _normal(waiter_name)
        found = [name for name in waiters if _normal(name) == key]
        if not found:
            raise PawsError(f"no waiter named {waiter_name!r}; waiters: {self.waiter_names}")
        cfg = waiters[found[0]]
        return Waiter(lambda p: self._call(cfg["operation"], p), cfg, xform_name(found[0]))

    @property
    def exceptions(self) -> SimpleNamespace:
        """Every modelled error class by name, as boto3's ``client.exceptions``.

        ``ClientError`` is the base of them all (``pawscore.ServiceError``), so
        ``except svc.exceptions.ClientError`` catches any service error.
        """
        classes = {cls.__name__: cls for cls in self._errors.values()}
        return SimpleNamespace(ClientError=ServiceError, **classes)

    @property
    def config(self) -> ResolvedConfig:
        """The resolved configuration (region, endpoint, credentials provider, limits)."""
        with self._lock:
            if self._resolved is None:
                # The generated package that defines the client (or the nearest
                # base class, for a user's subclass) ships the endpoint rules.
                packages = (cls.__module__.split(".")[0] for cls in type(self).__mro__)
                rules = next((r for r in map(package_rules, packages) if r is not None), None)
                resolved = resolve_config(self._config_input, self._api["metadata"], rules)
                self._http = HttpClient(
                    resolved.connect_timeout,
                    resolved.read_timeout,
                    proxies=resolved.proxies,
                    ca_bundle=resolved.ca_bundle,
                )
                self._resolved = resolved
            return self._resolved

    def _transport(self) -> HttpClient:
        self.config  # noqa: B018 -- resolving the config creates the pool
        if self._http is None:
            raise PawsError("the HTTP pool was not created")
        return self._http

    def close(self) -> None:
        """Close pooled connections."""
        if self._http is not None:
            self._http.close()

    def _call(
        self,
        op_name: str,
        params: Mapping[str, Any],
        on_event: EventCallback | None = None,
        stream: bool = False,
    ) -> Any:
        """Validate, send and parse one operation call.

        Returns the output dict; typed ``Any`` because the generated method that calls
        this declares the operation's own TypedDict.
        """
        api = self._api
        if op_name not in api["operations"]:
            raise PawsError(f"unknown operation {op_name!r}")
        op = api["operations"][op_name]
        es_member = event_stream_member(api, op.get("output"))
        if es_member is None and (on_event is not None or stream):
            raise TypeError(f"{op_name} has no event stream: on_event and stream do not apply")
        if on_event is not None and stream:
            raise TypeError("give either on_event or stream=True, not both")
        if on_event is not None and not callable(on_event):
            raise TypeError("on_event must be callable")

        given = {k: v for k, v in dict(params).items() if v is not None}
        given = fill_idempotency_tokens(api, op_name, given)
        validate(api, op.get("input"), given)

        cfg = self.config
        request = build_request(api, op_name, given, cfg.endpoint)
        policy = self.retry_policy or RetryPolicy(
            max_attempts=cfg.max_attempts, mode=cfg.retry_mode
        )
        deadline = Deadline(cfg.deadline) if cfg.deadline is not None else None
        response = call_with_retries(
            lambda: self._attempt(request, es_member is None, deadline), policy, deadline
        )

        if es_member is None:
            return _parse(api, op_name, response, response.read())
        try:
            output = _parse(api, op_name, response, b"")
        except BaseException:
            response.close()  # the stream is never read: give the connection back
            raise
        return self._event_output(op, es_member, response, output, on_event, stream)

    def _attempt(
        self, request: HttpRequest, buffered: bool, deadline: Deadline | None = None
    ) -> HttpResponse:
        """One signed send; raises the parsed error for a non-2xx answer."""
        # Who we are, as AWS SDKs say it (not signed: proxies may change it).
        request = HttpRequest(
            request.method,
            request.url,
            {"User-Agent": user_agent(), **request.headers},
            request.body,
        )
        response = self._transport().send(
            self._signed(request), stream=not buffered, deadline=deadline
        )
        if not 200 <= response.status < 300:
            body = response.read()
            raise parse_error(self._api, response.status, response.headers, body, self._errors)
        if buffered:
            check_body_crc32(response.headers, response.read())  # damaged: retried
        return response

    def _signed(self, request: HttpRequest) -> HttpRequest:
        """``request`` signed (when there are credentials).

        The signed headers never sit in a plain dict or local variable: the signature
        and session token go straight into ``HiddenValue`` wrappers, so no repr of any
        frame's locals (Sentry, ``pytest --showlocals``) shows them.
        """
        cfg = self.config
        creds = cfg.credentials.get()
        if creds is None:
            return request
        metadata = self._api["metadata"]
        # The endpoint's auth scheme names the signing scope when the rules give one.
        service = cfg.signing_name or metadata.get("signing_name") or metadata["endpoint_prefix"]
        return HttpRequest(
            request.method,
            request.url,
            hide_secrets(
                sign_request(
                    request.method,
                    request.url,
                    request.headers,
                    request.body,
                    creds,
                    cfg.signing_region or cfg.region,
                    service,
                )
            ),
            request.body,
        )

    def _event_output(
        self,
        op: Mapping[str, Any],
        es_member: tuple[str, str],
        response: HttpResponse,
        output: dict[str, Any],
        on_event: EventCallback | None,
        stream: bool,
    ) -> dict[str, Any]:
        member, stream_shape = es_member
        members = self._api["shapes"][op["output"]]["members"]
        # Only a 204 (DryRun) has no stream. An empty 200 body goes through the decoder,
        # which knows whether a complete stream may be empty (no final event) or not.
        if response.status == 204:
            response.close()
            events: Any = EventStream(iter(()), lambda: None) if stream else []
            return ordered(members, {**output, member: events})
        # The default mode holds the events it collects back from the cycle
        # collector until the stream has ended (events.track_events).
        held = not stream and on_event is None
        batches = iter_event_batches(
            self._api, stream_shape, response.stream(), self._errors, held=held
        )
        if stream:
            events = EventStream(iter(()), response.close, batches=batches)
            return ordered(members, {**output, member: events})
        collected: list[Any] = []
        try:
            if on_event is None:
                for batch in batches:
                    collected += batch
            else:
                for batch in batches:
                    for event in batch:
                        try:
                            collected.append(on_event(event))
                        except StopStream as stop:
                            collected.append(stop.value)
                            return ordered(members, {**output, member: StoppedEvents(collected)})
        finally:
            batches.close()
            response.close()
            if held:
                track_events(collected)
        return ordered(members, {**output, member: collected})


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def _operation_name(api: Mapping[str, Any], name: str) -> str | None:
    """The model's operation name for ``ListFunctions`` or ``list_functions``."""
    key = _normal(name)
    return next((op for op in api["operations"] if _normal(op) == key), None)


def _parse(api: Mapping[str, Any], op_name: str, response: HttpResponse, body: bytes) -> dict:
    try:
        return parse_response(api, op_name, response.status, response.headers, body)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # A 2xx answer that does not fit the model: say so, never return partial data.
        raise ResponseParseError(
            f"could not parse the {op_name} response (HTTP {response.status}): {exc}"
        ) from exc


__all__ = ["Client", "EventCallback"]
