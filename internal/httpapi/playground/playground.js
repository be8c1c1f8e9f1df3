// The usergraph playground: GraphiQL served from the server itself (no CDN),
// with a field for the admin token, kept in this tab's sessionStorage and
// sent as "Authorization: Bearer <token>" unless the Headers editor sets
// its own Authorization header. Subscriptions run over server-sent events
// (POST /graphql with Accept: text/event-stream): the same header, no
// WebSocket library to ship.
(function () {
  var KEY = "usergraph.adminToken";
  var input = document.getElementById("token");
  var status = document.getElementById("auth-status");

  function show() {
    var t = sessionStorage.getItem(KEY);
    status.textContent = t ? "Token set for this tab." : "No token: only accessToken works until you paste one.";
    input.value = t || "";
  }
  document.getElementById("auth").addEventListener("submit", function (e) {
    e.preventDefault();
    var t = input.value.trim().replace(/^Bearer\s+/i, "");
    if (t) sessionStorage.setItem(KEY, t); else sessionStorage.removeItem(KEY);
    show();
  });
  document.getElementById("forget").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    show();
  });
  show();

  function fetcher(params, opts) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    var given = (opts && opts.headers) || {};
    Object.keys(given).forEach(function (k) { headers[k] = given[k]; });
    var hasAuth = Object.keys(headers).some(function (k) { return k.toLowerCase() === "authorization"; });
    var token = sessionStorage.getItem(KEY);
    if (token && !hasAuth) headers.Authorization = "Bearer " + token;
    if (operationType(params.query || "", params.operationName) === "subscription") {
      headers.Accept = "text/event-stream";
      return eventStream(headers, params);
    }
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
  }

  // operationType is the type of the operation params run: the named one,
  // or the document's only one. It reads the top level of the document
  // only (outside braces, strings and comments).
  function operationType(doc, name) {
    var depth = 0, ops = [], i = 0;
    while (i < doc.length) {
      var c = doc[i];
      if (c === "#") { while (i < doc.length && doc[i] !== "\n") i++; continue; }
      if (c === '"') {
        var block = doc.substr(i, 3) === '"""', end = block ? doc.indexOf('"""', i + 3) : i + 1;
        if (!block) { while (end < doc.length && doc[end] !== '"' && doc[end] !== "\n") end += doc[end] === "\\" ? 2 : 1; }
        i = (end < 0 ? doc.length : end) + (block ? 3 : 1);
        continue;
      }
      if (c === "{") { if (depth === 0) ops.push(ops.pending || { type: "query" }); ops.pending = null; depth++; i++; continue; }
      if (c === "}") { depth--; i++; continue; }
      if (depth === 0 && /[_A-Za-z]/.test(c)) {
        var m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(doc.slice(i))[0];
        if (m === "query" || m === "mutation" || m === "subscription") {
          var n = /^\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(doc.slice(i + m.length));
          ops.pending = { type: m, name: n && n[1] };
        } else if (m === "fragment") {
          ops.pending = { type: "fragment" };
        }
        i += m.length;
        continue;
      }
      i++;
    }
    var run = ops.filter(function (o) { return o.type !== "fragment" && (!name || o.name === name); });
    return run.length ? run[0].type : "query";
  }

  // eventStream runs a subscription over server-sent events and yields
  // each result as it comes (GraphiQL takes an async iterable); leaving
  // it (GraphiQL's stop button) aborts the request, which ends the
  // subscription on the server.
  function eventStream(headers, params) {
    var abort = new AbortController(), queue = [], waiting = null, finished = false, failure = null;
    function settle() {
      if (!waiting) return;
      if (queue.length) { var w = waiting; waiting = null; w.resolve({ value: queue.shift(), done: false }); }
      else if (finished) { var f = waiting; waiting = null; if (failure) f.reject(failure); else f.resolve({ value: undefined, done: true }); }
    }
    function finish(err) { finished = true; failure = err || null; settle(); }
    fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params), signal: abort.signal }).then(function (resp) {
      if ((resp.headers.get("Content-Type") || "").indexOf("text/event-stream") < 0) {
        return resp.json().then(function (body) { queue.push(body); finish(); });
      }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buf = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { finish(); return; }
          buf += decoder.decode(chunk.value, { stream: true });
          var at;
          while ((at = buf.indexOf("\n\n")) >= 0) {
            var frame = buf.slice(0, at), event = "", data = "";
            buf = buf.slice(at + 2);
            frame.split("\n").forEach(function (line) {
              if (line.indexOf("event:") === 0) event = line.slice(6).trim();
              else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
            });
            if (event === "next" && data) queue.push(JSON.parse(data));
            if (event === "complete") { finish(); return; }
          }
          settle();
          return pump();
        });
      }
      return pump();
    }).catch(function (e) { finish(abort.signal.aborted ? null : e); });
    var it = {
      next: function () { return new Promise(function (resolve, reject) { waiting = { resolve: resolve, reject: reject }; settle(); }); },
      return: function () { abort.abort(); finish(); return Promise.resolve({ value: undefined, done: true }); },
    };
    it[Symbol.asyncIterator] = function () { return it; };
    return it;
  }

  var search = new URLSearchParams(location.search);
  var defaultQuery = "# Paste an admin token above, then run:\n{\n  users(limit: 10) {\n    totalCount\n    list { id username email status }\n  }\n}\n";
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    query: search.get("query") || undefined,
    shouldPersistHeaders: false,
  }));
})();
