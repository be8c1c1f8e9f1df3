// The usergraph playground: GraphiQL served from the server itself (no CDN),
// with a field for the admin token, kept in this tab's sessionStorage and
// sent as "Authorization: Bearer <token>" unless the Headers editor sets
// its own Authorization header.
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
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
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
