"""Switchable faults of the simulated sources: ``spec`` parses the fault specs,
``mutations`` changes a page's records (data kinds), ``transport`` holds the injector
(transport kinds, and where data kinds are applied).

Faults are applied between the route handler and the socket
(``server._RequestHandler.do_GET`` calls ``transport.FaultInjector.respond``), so every API
family gets them. Only successful answers (a handler's 200) are faulted; ``/health``,
401, 404 and 400 answers never are.

Switching faults on
-------------------
* per run: ``start_in_thread(config, faults=["server_error:2"])``,
  ``serve_forever(..., faults=...)``, ``taza sources serve|start --fault SPEC``
  (repeatable), or ``RunningSimulator.set_faults([...])`` on a running simulator;
* per request: header ``X-Simulator-Fault: SPEC[,SPEC...]`` or query parameter
  ``fault=SPEC[,SPEC...]``. The query parameter is removed before the handler sees the
  request and is not part of the URL that transient faults count by; a paging client
  that keeps its query parameters (``SourceClient.iter_pages``) sends it again with
  every page, so it stays switched on for the whole walk (use ``@page`` to aim).

Per-run and per-request faults add up. Names are checked when given: an unknown name or
a bad option is a ValueError at start, a 400 answer per request.

Spec grammar::

    SPEC   := NAME ["@" PAGE] (":" COUNT | ":" KEY "=" VALUE)*
    NAME   := one of the kinds below
    PAGE   := integer >= 1   only this page: the ``page`` of numbered paging, or the
                             position in a cursor walk (the first page, without a
                             ``cursor``, is 1)
    COUNT  := integer >= 1   transport kinds only: the fault fires the first COUNT times
                             per distinct URL (path + query, ``fault`` removed), then the
                             request succeeds; without COUNT the fault is permanent

e.g. ``server_error:2``, ``rate_limit:1:retry_after=0``, ``truncated@2``,
``slow:1:delay=0.5``, ``renamed_field:field=trees_planted:as=trees``,
``missing_field:every=5``.

Transport kinds (retryable by the client)
-----------------------------------------
============== ======================================================= ================
kind           effect                                                  options
============== ======================================================= ================
server_error   answer ``status`` with ``{"error": ...}``                status=503
rate_limit     answer 429 with ``{"error": ...}`` and ``Retry-After``   retry_after=1
slow           sleep ``delay`` seconds, then answer (whatever answer)   delay=2
truncated      send the first half of the JSON body; Content-Length is  (none)
               the truncated length, so the client sees malformed JSON
============== ======================================================= ================

Per request they are evaluated in this order: ``slow`` (delays the answer), then
``server_error`` and ``rate_limit`` (the first that fires answers), then the data kinds,
then ``truncated``. A transient fault counts only the attempts it fires on, so
``server_error:1,rate_limit:1`` fails the first two attempts of each URL.

Data kinds (deterministic: same request, same bytes)
----------------------------------------------------
They change the page's ``data`` list (``total_records`` and paging are unchanged) and
never take a COUNT. Which field is hit is found from the records themselves, so every
family gets them: the *numeric field* of a page is the first key, in record order, of
the page's first record holding an int/float (not bool) value (``trees_planted`` for
planting reports); ``field=NAME`` overrides it. Record-level kinds hit the records at
positions ``start, start + every, start + 2*every, ...`` of each page (0-based).

============== ==============================================================================
kind           rule
============== ==============================================================================
duplicates     on every page but the first, the first ``n`` records (n=3) are replaced by
               copies of the last ``n`` records of the previous page (as served without
               faults); the same natural key arrives twice, a record per copy is lost
renamed_field  in EVERY record holding it, the numeric field is renamed to ``as``
               (default: its name + ``_v2``), keeping key order: a schema change
missing_field  the numeric field is dropped from the records at every=10, start=0; never
               from every record of a page (a one-record page is left alone)
wrong_types    the numeric field becomes its string ("1200") at every=10, start=1
bad_values     the numeric field at every=10, start=2 becomes, alternately, negative
               (``-abs(v)``, -5 for 0) and absurd (``v * 1_000_000``, 10**9 for 0):
               the 1st, 3rd, ... hit record negative, the 2nd, 4th, ... absurd
unknown_region ``region_kato`` (else the first key ending in ``kato``) becomes
               '999999999' (999999999 if it was a number) at every=10, start=3
============== ==============================================================================

The different default ``start`` values keep combined record-level faults on different
records. To predict effects from the simulator's own records (e.g. expected quarantine
counts), use ``mutations.apply_data_faults`` / ``mutations.expected_effects`` on the unfaulted
pages (``mutations.paginate``): they run the same code as the server. With the raw loader,
``missing_field`` (of a required field), ``wrong_types`` and ``duplicates`` effects are
quarantined record by record; ``renamed_field`` of a required field fails the batch as a
schema change; ``bad_values`` and ``unknown_region`` type fine and are left to the
quality gate.

A handler's answer may be a dict or pre-encoded JSON bytes (``bytes`` or a wrapper
holding them, e.g. ``RawJson``); bytes are decoded, mutated and re-encoded for data
faults and passed through otherwise. Every faulted answer carries the header
``X-Simulator-Fault-Applied`` listing the specs that fired.
"""
