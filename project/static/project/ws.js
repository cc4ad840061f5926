/* ws: the small shared module of Waystation's pages (window.ws).
 *
 * Load it after Django's JavaScript catalogue (/jsi18n/, which base.html includes) and before a
 * page's own script. It holds what every map page needs, so that no page keeps its own copy:
 *
 *   ws.gettext(msgid)            the catalogue's translation of an English msgid (djangojs.po);
 *   ws.ngettext(one, many, n)    named like Django's so that `make messages` finds the strings
 *   ws.format(text, values)      text with its %(name)s placeholders filled in
 *   ws.data(id)                  the parsed JSON of a {{ value|json_script:id }} element (cached)
 *   ws.label(group, key)         a vocabulary label (kinds, amenities, statuses) from the page's
 *                                "ws-labels" json_script; the key itself when there is none
 *   ws.el(tag, text, className)  an element whose text is set with textContent, never as HTML:
 *                                names and addresses typed by people always show as text
 *   ws.row(parent, caption, value, className)  "caption: value" appended to parent (a div of
 *                                that class, "ws-row" by default), skipped when value is empty
 *   ws.metres(m)                 "850 m", "1.2 km"
 *   ws.kindColour(kind)          the colour of a facility kind (markers, rings, legend)
 *   ws.facilityStyle(kind)       Leaflet circle-marker options for a facility of that kind
 *   ws.toGcj02(lon, lat)         WGS84 -> GCJ-02, the same formula as stations/coords.py
 *   ws.fromGcj02(lon, lat)       its inverse (a click on a GCJ-02 map back to WGS84)
 *   ws.drawn(lon, lat)           where a WGS84 point goes on the page's tiles, as Leaflet [lat, lon]
 *
 * It also gives Leaflet's zoom buttons translated titles, so load it after Leaflet.
 *
 * Labels and settings reach the page through json_script ("ws-labels": {kinds, amenities,
 * statuses, colours, tilesCrs}), never by writing values into a script.
 */
(function () {
  "use strict";

  var cache = {};

  function data(id) {
    if (!(id in cache)) {
      var node = document.getElementById(id);
      cache[id] = node ? JSON.parse(node.textContent) : {};
    }
    return cache[id];
  }

  // The catalogue's functions, or English when it did not load (the page still works).
  function gettext(msgid) {
    return typeof window.gettext === "function" ? window.gettext(msgid) : msgid;
  }

  function ngettext(one, many, n) {
    return typeof window.ngettext === "function" ? window.ngettext(one, many, n) : (n === 1 ? one : many);
  }

  function format(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function label(group, key) {
    var table = data("ws-labels")[group] || {};
    return table[key] || key;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(parent, caption, value, className) {
    if (value === undefined || value === null || value === "") return;
    var line = el("div", null, className || "ws-row");
    line.appendChild(el("span", format(gettext("%(caption)s: "), {caption: caption}), "ws-caption"));
    line.appendChild(el("span", value));
    parent.appendChild(line);
  }

  function metres(m) {
    if (m < 1000) return Math.round(m) + " m";
    return (m / 1000).toFixed(m < 10000 ? 1 : 0) + " km";
  }

  function kindColour(kind) {
    return (data("ws-labels").colours || {})[kind] || "#555";
  }

  function facilityStyle(kind) {
    return {radius: 7, color: "#fff", weight: 1.5, fillOpacity: 0.9, fillColor: kindColour(kind)};
  }

  /* WGS84 -> GCJ-02 (the public formula; mirrors stations.coords.wgs84_to_gcj02). */
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
  function toGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var dLat = offsetLat(lon - 105.0, lat - 35.0), dLon = offsetLon(lon - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * Math.PI, magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lon + dLon, lat + dLat];
  }
  /* GCJ-02 -> WGS84 by fixed-point iteration, as stations.coords.to_wgs84 does: the shift varies
   * slowly, so a few steps reach well below a centimetre (a click on a GCJ-02 map, read back). */
  function fromGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var x = lon, y = lat;
    for (var k = 0; k < 10; k++) {
      var p = toGcj02(x, y), dx = p[0] - lon, dy = p[1] - lat;
      x -= dx; y -= dy;
      if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) break;
    }
    return [x, y];
  }

  function drawn(lon, lat) {
    var p = data("ws-labels").tilesCrs === "gcj02" ? toGcj02(lon, lat) : [lon, lat];
    return [p[1], p[0]];
  }

  // Leaflet's own words (the zoom buttons' titles), in the page's language.
  if (window.L && L.Control && L.Control.Zoom) {
    L.Control.Zoom.prototype.options.zoomInTitle = gettext("Zoom in");
    L.Control.Zoom.prototype.options.zoomOutTitle = gettext("Zoom out");
  }

  window.ws = {
    gettext: gettext, ngettext: ngettext, format: format, data: data, label: label, el: el, row: row, metres: metres,
    kindColour: kindColour, facilityStyle: facilityStyle, toGcj02: toGcj02, fromGcj02: fromGcj02,
    drawn: drawn
  };
})();
