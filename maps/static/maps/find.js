/* /find/: the nearest facilities to the rider, from GET /api/facilities/nearest/.
 *
 * The point is the browser's geolocation (WGS84) or a point picked on the map. On GCJ-02 tiles
 * (MAP_TILES_CRS=gcj02) a picked point is GCJ-02, so it is sent with crs=gcj02, and WGS84 points
 * are shifted before drawing (ws.drawn). Labels, element helpers and marker styles come from the
 * shared module project/static/project/ws.js; every text shown goes through its gettext.
 */
(function () {
  "use strict";

  var config = ws.data("find-config");
  var statusLine = document.getElementById("find-status");
  var list = document.getElementById("results");
  var form = document.getElementById("find-form");
  var map, here, resultLayer, origin = null, request = 0, limit = config.limit;
  var LAST_KEY = "waystation.find.last";  // the rider's last point, so the map opens there

  function say(text) { statusLine.textContent = text; }

  function lastPoint() {
    try { return JSON.parse(window.localStorage.getItem(LAST_KEY)); } catch (e) { return null; }
  }

  function initMap() {
    var last = lastPoint();
    map = L.map("find-map", {zoomControl: true}).setView(
      last ? last.drawAt : config.centre, last ? 14 : config.zoom);
    L.tileLayer(config.tilesUrl, {attribution: config.tilesAttribution, maxZoom: 18}).addTo(map);
    resultLayer = L.layerGroup().addTo(map);
    map.on("click", function (e) {
      // A point picked on the map is in the tiles' system.
      search({lat: e.latlng.lat, lon: e.latlng.lng, crs: config.tilesCrs}, [e.latlng.lat, e.latlng.lng], true);
    });
  }

  function search(point, drawAt, fresh) {
    if (fresh) limit = config.limit;  // a new point starts with the first page again
    origin = {point: point, drawAt: drawAt};
    try { window.localStorage.setItem(LAST_KEY, JSON.stringify(origin)); } catch (e) { /* not kept */ }
    if (here) map.removeLayer(here);
    here = L.circleMarker(drawAt, {radius: 8, color: "#fff", weight: 3, fillColor: "#1565c0", fillOpacity: 1})
      .addTo(map).bindTooltip(ws.gettext("You are here"));
    // Within config.radius only: a rider in Paris is told nothing is near, not sent to Beijing.
    var params = new URLSearchParams({lat: point.lat, lon: point.lon, crs: point.crs, limit: limit,
                                      radius: config.radius});
    var data = new FormData(form);
    if (data.get("kind")) params.set("kind", data.get("kind"));
    if (data.get("amenity")) params.set("amenity", data.get("amenity"));
    if (data.get("open_now")) params.set("open_now", "true");
    var mine = ++request;
    say(ws.gettext("Searching…"));
    fetch(config.nearestUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        if (mine !== request) return;  // a newer search has started
        if (!answer.ok) {
          var errors = (answer.body && answer.body.errors) || {};
          say(ws.format(ws.gettext("Cannot search: %(reasons)s"), {reasons: Object.keys(errors).map(function (k) {
            return k + ": " + [].concat(errors[k]).join(" ");
          }).join("; ")}));
          return;
        }
        show(answer.body.features || []);
      })
      .catch(function () {
        if (mine === request) say(ws.gettext("Network error, please try again."));
      });
  }

  function nothingNear() {
    statusLine.textContent = ws.format(ws.gettext("No facility within %(km)s km. Call the union hotline:"),
                                       {km: config.radius / 1000}) + " ";
    var call = ws.el("a", "12351", "find-call");
    call.href = "tel:12351";
    statusLine.appendChild(call);
    map.setView(origin.drawAt, 11);  // show where the rider is, not the distant places
  }

  function showMore(count) {
    var old = document.getElementById("find-more");
    if (old) old.remove();
    if (count < limit || limit >= config.maxLimit) return;  // the search found them all
    var more = ws.el("button", ws.gettext("Show more"), "find-more");
    more.type = "button";
    more.id = "find-more";
    more.addEventListener("click", function () {
      limit = Math.min(limit + config.limit, config.maxLimit);
      search(origin.point, origin.drawAt);
    });
    list.after(more);
  }

  function show(features) {
    list.textContent = "";
    resultLayer.clearLayers();
    showMore(features.length);
    if (!features.length) {
      if (form.kind.value || form.amenity.value || form.open_now.checked) {
        say(ws.gettext("Nothing nearby matches."));
      } else {
        nothingNear();
      }
      return;
    }
    say(ws.format(ws.ngettext("The nearest facility", "The %(count)s nearest facilities", features.length),
                  {count: features.length}));
    var bounds = [origin.drawAt];
    features.forEach(function (feature, index) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var item = ws.el("li", null, "find-result");
      // The name opens the detail sheet (details.js): a button, so keyboards reach it too.
      var open = ws.el("button", p.name, "find-name");
      open.type = "button";
      open.addEventListener("click", function () { window.waystationDetails.open(feature.id, open); });
      item.appendChild(open);
      var meta = ws.el("div", null, "find-meta");
      meta.appendChild(ws.el("span", ws.metres(p.distance_m) + " · " + ws.label("kinds", p.kind) + " · "));
      meta.appendChild(ws.el("span", p.is_open_now ? ws.gettext("Open now") : ws.gettext("Closed now"),
                             p.is_open_now ? "find-open" : "find-closed"));
      item.appendChild(meta);
      ws.row(item, ws.gettext("Hours"), p.opening_hours || "—", "find-meta");
      if (p.amenities && p.amenities.length) {
        item.appendChild(ws.el("div", p.amenities.map(function (a) {
          return ws.label("amenities", a);
        }).join(ws.gettext(", ")), "find-meta"));
      }
      if (p.address) item.appendChild(ws.el("div", p.address, "find-meta"));
      if (p.phone) {
        var call = ws.el("a", p.phone);
        call.href = "tel:" + String(p.phone).replace(/[^0-9+]/g, "");
        var line = ws.el("div", ws.format(ws.gettext("%(caption)s: "), {caption: ws.gettext("Phone")}), "find-meta");
        line.appendChild(call);
        item.appendChild(line);
      }
      list.appendChild(item);
      var at = ws.drawn(c[0], c[1]);
      bounds.push(at);
      L.marker(at, {
        icon: L.divIcon({html: String(index + 1), className: "find-pin", iconSize: L.point(22, 22)}),
        title: p.name
      }).addTo(resultLayer).on("click", function () { window.waystationDetails.open(feature.id, open); });
    });
    map.fitBounds(bounds, {padding: [30, 30], maxZoom: 16});
  }

  function locate() {
    if (!navigator.geolocation) {
      say(ws.gettext("This browser cannot locate you; pick a point on the map."));
      return;
    }
    say(ws.gettext("Locating…"));
    navigator.geolocation.getCurrentPosition(function (position) {
      var lon = position.coords.longitude, lat = position.coords.latitude;
      // Browsers report WGS84.
      search({lat: lat, lon: lon, crs: "wgs84"}, ws.drawn(lon, lat), true);
    }, function () {
      say(ws.gettext("Could not locate you; pick a point on the map."));
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  function start() {
    initMap();
    document.getElementById("locate").addEventListener("click", locate);
    form.addEventListener("change", function () {
      if (origin) search(origin.point, origin.drawAt);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
