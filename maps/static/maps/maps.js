/* Drawing and popups for the folium map pages (maps/render.py, maps/pages.py).
 *
 * Every text that came from users (facility names, addresses, hours) is put into the page with
 * textContent, never as HTML, so `<img src=x onerror=alert(1)>` shows as those characters.
 * Bilingual labels come from the page's <script id="waystation-labels" type="application/json">.
 */
(function () {
  "use strict";

  var labelCache = null;
  function labels() {
    if (!labelCache) {
      var node = document.getElementById("waystation-labels");
      labelCache = node ? JSON.parse(node.textContent) : {};
    }
    return labelCache;
  }
  function label(group, key) {
    var table = labels()[group] || {};
    return table[key] || key;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(parent, caption, value) {
    if (value === undefined || value === null || value === "") return;
    var line = el("div", null, "ws-row");
    line.appendChild(el("span", caption + ": ", "ws-caption"));
    line.appendChild(el("span", value));
    parent.appendChild(line);
  }

  /* The colour of the first class whose upper bound is >= value (bounds and colours come
   * from maps/render.py: class_breaks and legend). */
  function classColour(breaks, colours, value) {
    for (var k = 0; k < breaks.length; k++) {
      if (value <= breaks[k]) return colours[k];
    }
    return colours[colours.length - 1];
  }

  var ws = {
    kindColour: function (kind) {
      return (labels().colours || {})[kind] || "#555";
    },

    facilityMarker: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: 7, color: "#fff", weight: 1.5, fillOpacity: 0.9,
        fillColor: ws.kindColour(feature.properties.k)
      });
    },

    facilityPopup: function (p) {
      var box = el("div", null, "ws-popup");
      box.appendChild(el("strong", p.n, "ws-name"));
      var status = label("statuses", p.s);
      box.appendChild(el("div", label("kinds", p.k) + " · " + status, "ws-kind"));
      row(box, "现在 Now", p.o ? "开放中 open now" : "未开放 closed now");
      row(box, "开放时间 Hours", p.h);
      row(box, "设施 Amenities", (p.a || []).map(function (a) { return label("amenities", a); }).join("、"));
      row(box, "地址 Address", p.ad);
      row(box, "电话 Phone", p.p);
      return box;
    },

    bindFacilityPopup: function (feature, layer) {
      layer.bindPopup(function () { return ws.facilityPopup(feature.properties); });
    },

    ring: function (radius) {
      return function (feature, latlng) {
        var colour = feature.properties && feature.properties.k ? ws.kindColour(feature.properties.k) : "#6a3d9a";
        return L.circle(latlng, {radius: radius, color: colour, weight: 1, fillOpacity: 0.06, interactive: false});
      };
    },

    /* A grid cluster of facilities drawn like marker-cluster's bubbles, with its count. */
    countMarker: function (kind) {
      return function (feature, latlng) {
        var n = Number(feature.properties.n) || 0;
        var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        var icon = L.divIcon({
          html: "<div><span>" + n + "</span></div>",
          className: "marker-cluster marker-cluster-" + size + " ws-count ws-count-" + kind,
          iconSize: L.point(40, 40)
        });
        return L.marker(latlng, {icon: icon, title: label("kinds", kind) + ": " + n});
      };
    },

    graduated: function (breaks, colours, key) {
      return function (feature) {
        return {
          fillColor: classColour(breaks, colours, Number(feature.properties[key]) || 0),
          fillOpacity: 0.7, color: "#800026", weight: 0.3
        };
      };
    },

    servedStyle: function () {
      return {fillColor: "#9e9e9e", fillOpacity: 0.25, color: "#757575", weight: 0.3};
    },

    bindCountTooltip: function (key, unit) {
      return function (feature, layer) {
        layer.bindTooltip(String(Number(feature.properties[key]) || 0) + " " + unit);
      };
    },

    bindGapTooltip: function (feature, layer) {
      var p = feature.properties;
      var nearest = p.m === null ? "无 none" : p.m + " m";
      layer.bindTooltip(
        "需求 demand " + p.d + " · 未满足 unmet " + p.u + " · 最近设施 nearest " + nearest
      );
    },

    siteMarker: function (feature, latlng) {
      return L.marker(latlng, {
        icon: L.divIcon({
          html: "<span>" + (Number(feature.properties.r) || "") + "</span>",
          className: "ws-site", iconSize: L.point(26, 26)
        })
      });
    },

    bindSitePopup: function (feature, layer) {
      layer.bindPopup(function () {
        var p = feature.properties;
        var box = el("div", null, "ws-popup");
        box.appendChild(el("strong", "建议新址 Suggested site #" + p.r));
        row(box, "新覆盖需求 Newly covered demand", p.c);
        row(box, "累计覆盖率 Cumulative coverage", (100 * p.s).toFixed(1) + " %");
        return box;
      });
    }
  };

  window.waystation = ws;
})();
