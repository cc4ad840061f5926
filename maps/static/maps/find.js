/* /find/: the nearest facilities to the rider, from GET /api/facilities/nearest/.
 *
 * The point is the browser's geolocation (WGS84) or a point picked on the map. On GCJ-02 tiles
 * (MAP_TILES_CRS=gcj02) a picked point is GCJ-02, so it is sent with crs=gcj02, and WGS84 points
 * are shifted before drawing with the same public formula as stations/coords.py.
 * All facility text goes in with textContent: names and addresses show as text, never as HTML.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("find-config").textContent);
  var statusLine = document.getElementById("find-status");
  var list = document.getElementById("results");
  var form = document.getElementById("find-form");
  var map, here, resultLayer, origin = null, request = 0, limit = config.limit;
  var LAST_KEY = "waystation.find.last";  // the rider's last point, so the map opens there

  /* WGS84 -> GCJ-02, mirroring stations.coords.wgs84_to_gcj02. */
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lon, lat) {
    return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  }
  function offsetLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function offsetLon(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function wgs84ToGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var dLat = offsetLat(lon - 105.0, lat - 35.0), dLon = offsetLon(lon - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * Math.PI, magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lon + dLon, lat + dLat];
  }
  /* Where to draw a WGS84 (lon, lat) on the configured tiles, as a Leaflet [lat, lon]. */
  function drawn(lon, lat) {
    var p = config.tilesCrs === "gcj02" ? wgs84ToGcj02(lon, lat) : [lon, lat];
    return [p[1], p[0]];
  }

  function label(group, key) {
    return (config.labels[group] || {})[key] || key;
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function say(text) { statusLine.textContent = text; }
  function metres(m) { return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(m < 10000 ? 1 : 0) + " km"; }

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
      .addTo(map).bindTooltip("你的位置 You are here");
    // Within config.radius only: a rider in Paris is told nothing is near, not sent to Beijing.
    var params = new URLSearchParams({lat: point.lat, lon: point.lon, crs: point.crs, limit: limit,
                                      radius: config.radius});
    var data = new FormData(form);
    if (data.get("kind")) params.set("kind", data.get("kind"));
    if (data.get("amenity")) params.set("amenity", data.get("amenity"));
    if (data.get("open_now")) params.set("open_now", "true");
    var mine = ++request;
    say("正在查找… Searching…");
    fetch(config.nearestUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        if (mine !== request) return;  // a newer search has started
        if (!answer.ok) {
          var errors = (answer.body && answer.body.errors) || {};
          say("无法查找 Cannot search: " + Object.keys(errors).map(function (k) {
            return k + ": " + [].concat(errors[k]).join(" ");
          }).join("; "));
          return;
        }
        show(answer.body.features || []);
      })
      .catch(function () {
        if (mine === request) say("网络错误，请重试。Network error, please try again.");
      });
  }

  function nothingNear() {
    statusLine.textContent = interpolate(
      gettext("No facility within %s km. Call the union hotline:"), [config.radius / 1000]) + " ";
    var call = el("a", "12351", "find-call");
    call.href = "tel:12351";
    statusLine.appendChild(call);
    map.setView(origin.drawAt, 11);  // show where the rider is, not the distant places
  }

  function showMore(count) {
    var old = document.getElementById("find-more");
    if (old) old.remove();
    if (count < limit || limit >= config.maxLimit) return;  // the search found them all
    var more = el("button", gettext("Show more"), "find-more");
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
        say("附近没有符合条件的设施。Nothing nearby matches.");
      } else {
        nothingNear();
      }
      return;
    }
    say("最近的 " + features.length + " 个设施 The " + features.length + " nearest facilities");
    var bounds = [origin.drawAt];
    features.forEach(function (feature, index) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var item = el("li", null, "find-result");
      // The name opens the detail sheet (details.js): a button, so keyboards reach it too.
      var open = el("button", p.name, "find-name");
      open.type = "button";
      open.addEventListener("click", function () { window.waystationDetails.open(feature.id, open); });
      item.appendChild(open);
      var meta = el("div", null, "find-meta");
      meta.appendChild(el("span", metres(p.distance_m) + " · " + label("kinds", p.kind) + " · "));
      meta.appendChild(el("span", p.is_open_now ? "开放中 Open now" : "未开放 Closed now",
                          p.is_open_now ? "find-open" : "find-closed"));
      item.appendChild(meta);
      item.appendChild(el("div", "开放时间 Hours: " + (p.opening_hours || "—"), "find-meta"));
      if (p.amenities && p.amenities.length) {
        item.appendChild(el("div", p.amenities.map(function (a) { return label("amenities", a); }).join("、"), "find-meta"));
      }
      if (p.address) item.appendChild(el("div", p.address, "find-meta"));
      if (p.phone) {
        var call = el("a", p.phone);
        call.href = "tel:" + String(p.phone).replace(/[^0-9+]/g, "");
        var line = el("div", "电话 Phone: ", "find-meta");
        line.appendChild(call);
        item.appendChild(line);
      }
      list.appendChild(item);
      var at = drawn(c[0], c[1]);
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
      say("此浏览器无法定位，请在地图上点选。This browser cannot locate you; pick a point on the map.");
      return;
    }
    say("正在定位… Locating…");
    navigator.geolocation.getCurrentPosition(function (position) {
      var lon = position.coords.longitude, lat = position.coords.latitude;
      // Browsers report WGS84.
      search({lat: lat, lon: lon, crs: "wgs84"}, drawn(lon, lat), true);
    }, function () {
      say("无法定位，请在地图上点选位置。Could not locate you; pick a point on the map.");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  function start() {
    initMap();
    document.getElementById("locate").addEventListener("click", locate);
    form.addEventListener("change", function () {
      if (origin) search(origin.point, origin.drawAt);
    });
  }

  window.waystationFind = {wgs84ToGcj02: wgs84ToGcj02};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
