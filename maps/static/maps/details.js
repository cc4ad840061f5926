/* /find/'s detail sheet: one facility from GET /api/facilities/{id}/, whose `details` the server
 * computes in the reader's language (readable hours, next opening or closing, facts, whom to call,
 * navigation links in each app's coordinates): this file only lays them out. The same details
 * render /s/{id}/ on the server.
 *
 *   waystationDetails.open(id, opener)   opens the sheet; Escape or "Close" returns focus to opener
 *
 * All text goes in with textContent (ws.el); links come from the API's own URLs.
 */
(function () {
  "use strict";

  var config = ws.data("find-config");
  var sheet = document.getElementById("find-sheet");
  var body = document.getElementById("find-sheet-body");
  var opener = null, request = 0;

  var el = ws.el;

  function link(text, href, className) {
    var a = el("a", text, className || "ws-button");
    a.href = href;
    return a;
  }
  function section(title) {
    var box = el("section", null, "ws-sheet-section");
    box.appendChild(el("h3", title));
    body.appendChild(box);
    return box;
  }

  function render(feature) {
    var p = feature.properties, d = p.details;
    body.textContent = "";
    var heading = el("h2", p.name);
    heading.id = "find-sheet-title";
    heading.tabIndex = -1;
    body.appendChild(heading);
    body.appendChild(el("p", d.kind + (p.address ? " · " + p.address : ""), "ws-muted"));

    var state = el("p");
    state.appendChild(el("span", d.state, d.open_now ? "ws-open" : "ws-closed"));
    if (d.next_change) state.appendChild(el("span", " · " + d.next_change));
    state.dataset.testid = "state";
    body.appendChild(state);
    var hours = el("p", d.hours);
    hours.dataset.testid = "hours";
    body.appendChild(hours);
    var fresh = [d.freshness, ws.format(ws.ngettext("%(count)s check-in today", "%(count)s check-ins today",
                                                    p.checkins_today), {count: p.checkins_today})]
      .filter(Boolean).join(" · ");
    body.appendChild(el("p", fresh, "ws-muted"));

    if (d.facts.length || d.amenities.length) {
      var facts = section(ws.gettext("What is here"));
      if (d.facts.length) {
        var list = el("ul", null, "ws-facts");
        d.facts.forEach(function (fact) { list.appendChild(el("li", fact)); });
        facts.appendChild(list);
      }
      if (d.amenities.length) {
        var tags = el("ul", null, "ws-tags");
        d.amenities.forEach(function (amenity) { tags.appendChild(el("li", amenity)); });
        facts.appendChild(tags);
      }
    }

    var sessions = section(ws.gettext("Reception days"));
    sessions.hidden = true;
    receptionDays(feature.id, sessions);

    var go = section(ws.gettext("Get there"));
    var nav = el("div", null, "ws-actions ws-nav-links");
    [["amap", ws.gettext("Amap")], ["baidu", ws.gettext("Baidu Maps")], ["apple", ws.gettext("Apple Maps")]]
      .forEach(function (app) {
        var a = link(app[1], d.navigation[app[0]]);
        a.dataset.nav = app[0];
        a.rel = "noopener";
        nav.appendChild(a);
      });
    go.appendChild(nav);
    var actions = el("div", null, "ws-actions");
    var call = link(d.call.label + ": " + d.call.number, d.call.tel);
    call.dataset.testid = "call";
    actions.appendChild(call);
    actions.appendChild(link(ws.gettext("Page of this place"), config.pageUrl + feature.id + "/"));
    go.appendChild(actions);
    heading.focus();
  }

  /* The next reception days at the place (outreach's public API), shown when there are any. */
  function receptionDays(id, box) {
    if (!config.receptionDaysUrl) return;
    var params = new URLSearchParams({facility: id, upcoming: "true"});
    fetch(config.receptionDaysUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (body) {
        var rows = (body.results || []).filter(function (r) { return r.next_start; })
          .sort(function (a, b) { return a.next_start < b.next_start ? -1 : 1; }).slice(0, 3);
        if (!rows.length) return;
        var list = el("ul", null, "ws-facts");
        rows.forEach(function (r) {
          var when = new Date(r.next_start).toLocaleString(document.documentElement.lang,
            {weekday: "short", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit"});
          list.appendChild(el("li", when + " · " + r.host_name));
        });
        box.appendChild(list);
        box.hidden = false;
      })
      .catch(function () { /* the rest of the sheet stands without them */ });
  }

  function open(id, from) {
    opener = from || null;
    sheet.hidden = false;
    body.textContent = "";
    body.appendChild(el("p", ws.gettext("Loading…"), "ws-muted"));
    var mine = ++request;
    fetch(config.detailUrl + id + "/", {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (feature) { if (mine === request) render(feature); })
      .catch(function () {
        if (mine !== request) return;
        body.textContent = "";
        body.appendChild(el("p", ws.gettext("Could not load this place; please try again."), "ws-error"));
      });
  }

  function close() {
    sheet.hidden = true;
    request++;
    if (opener) opener.focus();
  }

  document.getElementById("find-sheet-close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !sheet.hidden) close();
  });

  window.waystationDetails = {open: open, close: close};
})();
