// The relationship map of a buying center: people coloured by attitude, sized by
// influence and tagged with their buying roles, relations as directed edges, our staff
// linked to the people they know.
//
// The layout is made here, not by ECharts' force layout, whose nodes drift out of the
// canvas (a phone clipped them) and under the legend: a small force simulation in the
// canvas' own pixels, then the boxes of the nodes (symbol, name and roles) are pushed
// apart and kept inside the area below the legend. The canvas grows when the boxes need
// more room than it has. ECharts then draws the nodes where they were put (scale 1).
(function () {
  "use strict";
  var element = document.getElementById("relationship-map");
  var source = document.getElementById("relationship-map-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var encode = echarts.format.encodeHTML;

  var LEGEND = 34;        // the legend's band at the top of the canvas
  var MARGIN = 6;         // between the drawing and the canvas' edges
  var GAP = 10;           // between two nodes' boxes
  var LABEL_DISTANCE = 4; // between a symbol and its label
  var NAME = { font: "600 12px sans-serif", size: 12, weight: 600, line: 16 };
  var ROLES = { font: "11px sans-serif", size: 11, line: 14 };
  var MAX_HEIGHT = 1600;

  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, style) { measure.font = style.font; return measure.measureText(text).width; }
  // what fits in `width`, shortened with an ellipsis; the tooltip and the tables have it all
  function fit(text, style, width) {
    if (textWidth(text, style) <= width) { return text; }
    while (text.length > 1 && textWidth(text + "…", style) > width) { text = text.slice(0, -1); }
    return text + "…";
  }
  // braces and bars are ECharts' rich-text markup: never let a name be read as markup
  function plain(text) { return String(text).replace(/[{}|]/g, " "); }

  // the roles as tags, on up to two lines, the last shortened if need be
  function roleLines(tags, width) {
    var lines = [], line = "";
    tags.map(plain).forEach(function (tag) {
      var longer = line ? line + " · " + tag : tag;
      if (line && textWidth(longer, ROLES) > width) { lines.push(line); line = tag; } else { line = longer; }
    });
    if (line) { lines.push(line); }
    if (lines.length > 2) { lines = [lines[0], lines.slice(1).join(" · ")]; }
    return lines.map(function (text) { return fit(text, ROLES, width); });
  }

  // the box a node takes: the symbol, and its name and roles beneath it
  function shapeOf(node, labelWidth) {
    var name = fit(plain(node.name), NAME, labelWidth);
    var roles = roleLines(node.roleTags || [], labelWidth);
    var radius = node.symbolSize / 2;
    var width = Math.max.apply(null, [textWidth(name, NAME), node.symbolSize].concat(
      roles.map(function (line) { return textWidth(line, ROLES); })));
    return {
      label: "{name|" + name + "}" + roles.map(function (line) { return "\n{roles|" + line + "}"; }).join(""),
      half: width / 2 + 2,
      up: radius + 1,
      down: radius + LABEL_DISTANCE + NAME.line + roles.length * ROLES.line + 2
    };
  }

  function clamp(point, shape, area) {
    var left = area.left + shape.half, right = area.right - shape.half;
    var top = area.top + shape.up, bottom = area.bottom - shape.down;
    point[0] = left > right ? (area.left + area.right) / 2 : Math.min(Math.max(point[0], left), right);
    point[1] = top > bottom ? (area.top + area.bottom) / 2 : Math.min(Math.max(point[1], top), bottom);
  }

  // Fruchterman-Reingold from a fixed start (a sunflower spiral): the same map every time
  function simulate(shapes, edges, area) {
    var n = shapes.length;
    var cx = (area.left + area.right) / 2, cy = (area.top + area.bottom) / 2;
    var rx = (area.right - area.left) / 2, ry = (area.bottom - area.top) / 2;
    var k = 0.5 * Math.sqrt((4 * rx * ry) / Math.max(n, 1)); // a little under the room per node
    var points = shapes.map(function (shape, i) {
      var angle = i * 2.399963, r = 0.8 * Math.sqrt((i + 0.5) / n);
      return [cx + rx * r * Math.cos(angle), cy + ry * r * Math.sin(angle)];
    });
    var heat = Math.max(rx, ry) / 3;
    for (var step = 0; step < 250; step++) {
      var push = points.map(function () { return [0, 0]; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var dx = points[i][0] - points[j][0], dy = points[i][1] - points[j][1];
          var d = Math.max(Math.sqrt(dx * dx + dy * dy), 1), f = (k * k) / d / d;
          push[i][0] += dx * f; push[i][1] += dy * f; push[j][0] -= dx * f; push[j][1] -= dy * f;
        }
      }
      edges.forEach(function (edge) {
        var a = points[edge[0]], b = points[edge[1]];
        var dx = a[0] - b[0], dy = a[1] - b[1], f = Math.sqrt(dx * dx + dy * dy) / k;
        push[edge[0]][0] -= dx * f; push[edge[0]][1] -= dy * f;
        push[edge[1]][0] += dx * f; push[edge[1]][1] += dy * f;
      });
      points.forEach(function (point, i) {
        var px = push[i][0] + (cx - point[0]) * 0.3, py = push[i][1] + (cy - point[1]) * 0.3;
        var length = Math.max(Math.sqrt(px * px + py * py), 1e-9), move = Math.min(length, heat);
        point[0] += (px / length) * move; point[1] += (py / length) * move;
        clamp(point, shapes[i], area);
      });
      heat *= 0.98;
    }
    return points;
  }

  function overlaps(a, b, sa, sb) {
    return [
      sa.half + sb.half + GAP - Math.abs(a[0] - b[0]),
      Math.min(a[1] + sa.down, b[1] + sb.down) - Math.max(a[1] - sa.up, b[1] - sb.up) + GAP
    ];
  }

  // move two points apart along one axis; whatever a wall stops of one, the other takes
  function pushApart(a, b, sa, sb, axis, amount, area) {
    var sign = a[axis] < b[axis] || (a[axis] === b[axis] && axis === 0) ? -1 : 1;
    var beforeA = a[axis], beforeB = b[axis];
    a[axis] += sign * amount / 2; clamp(a, sa, area);
    b[axis] -= sign * (amount - Math.abs(a[axis] - beforeA)); clamp(b, sb, area);
    var left = amount - Math.abs(a[axis] - beforeA) - Math.abs(b[axis] - beforeB);
    if (left > 0.5) { a[axis] += sign * left; clamp(a, sa, area); }
  }

  // push overlapping boxes apart along the shorter way, inside the area; true when none overlap
  function separate(points, shapes, area) {
    for (var round = 0; round < 500; round++) {
      var moved = false;
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          var o = overlaps(points[i], points[j], shapes[i], shapes[j]);
          if (o[0] <= 0 || o[1] <= 0) { continue; }
          moved = true;
          var axis = o[0] < o[1] ? 0 : 1;
          pushApart(points[i], points[j], shapes[i], shapes[j], axis, o[axis] + 0.5, area);
        }
      }
      if (!moved) { return true; }
    }
    return false;
  }

  // the canvas' height: its own (CSS) height, or more when the boxes need more room
  function heightFor(shapes, width, base) {
    var room = shapes.reduce(function (sum, s) {
      return sum + (2 * s.half + GAP) * (s.up + s.down + GAP);
    }, 0);
    var needed = LEGEND + 2 * MARGIN + (2.2 * room) / Math.max(width - 2 * MARGIN, 1);
    return Math.min(Math.max(base, Math.ceil(needed)), MAX_HEIGHT);
  }

  function layout(width, height, shapes) {
    var area = { left: MARGIN, right: width - MARGIN, top: LEGEND + MARGIN, bottom: height - MARGIN };
    var index = {};
    data.nodes.forEach(function (node, i) { index[node.id] = i; });
    var edges = data.links
      .map(function (link) { return [index[link.source], index[link.target]]; })
      .filter(function (edge) { return edge[0] !== undefined && edge[1] !== undefined; });
    var points = simulate(shapes, edges, area);
    return { points: points, apart: separate(points, shapes, area) };
  }

  function tooltip(p) {
    if (p.dataType === "edge") { return encode(p.data.label); }
    var lines = ["<strong>" + encode(p.data.name) + "</strong>"];
    if (p.data.roles && p.data.roles.length) {
      lines.push(encode(data.text.roles) + ": " + encode(p.data.roles.join(", ")));
    }
    if (p.data.detail) { lines.push(encode(p.data.detail)); }
    return lines.join("<br>");
  }

  var baseHeight = element.clientHeight;
  var chart = null;

  function draw() {
    var width = element.clientWidth;
    var labelWidth = Math.min(150, Math.max(96, width / 3.6));
    var shapes = data.nodes.map(function (node) { return shapeOf(node, labelWidth); });
    var height = heightFor(shapes, width, baseHeight);
    var placed = layout(width, height, shapes);
    while (!placed.apart && height < MAX_HEIGHT) { // too crowded to keep the boxes apart: grow
      height = Math.min(Math.ceil(height * 1.15), MAX_HEIGHT);
      placed = layout(width, height, shapes);
    }
    var points = placed.points;
    element.style.height = height + "px";
    if (chart) { chart.resize(); } else { chart = echarts.init(element, null, { renderer: "svg" }); }
    var xs = points.map(function (p) { return p[0]; }), ys = points.map(function (p) { return p[1]; });
    var left = Math.min.apply(null, xs), top = Math.min.apply(null, ys);
    chart.setOption({
      animation: false, // nodes flying in from nowhere would only distract
      tooltip: { confine: true, formatter: tooltip },
      legend: [{
        type: "scroll", top: 6, left: "center", itemHeight: 12,
        data: data.categories.map(function (c) { return c.name; })
      }],
      series: [{
        type: "graph",
        layout: "none",
        // the nodes' own pixels: the box around their centres is the box they are drawn in
        left: left, top: top,
        width: Math.max(Math.max.apply(null, xs) - left, 1),
        height: Math.max(Math.max.apply(null, ys) - top, 1),
        roam: true,
        draggable: true,
        categories: data.categories,
        data: data.nodes.map(function (node, i) {
          return Object.assign({}, node, { x: points[i][0], y: points[i][1] });
        }),
        links: data.links,
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 9,
        label: {
          show: true, position: "bottom", distance: LABEL_DISTANCE, align: "center",
          formatter: function (p) { return shapes[p.dataIndex].label; },
          rich: {
            name: { fontSize: NAME.size, fontWeight: NAME.weight, lineHeight: NAME.line, fontFamily: "sans-serif" },
            roles: { fontSize: ROLES.size, lineHeight: ROLES.line, color: "#495057", fontFamily: "sans-serif" }
          }
        },
        emphasis: { focus: "adjacency", lineStyle: { width: 4 } },
        lineStyle: { curveness: 0.15 }
      }]
    }, { replaceMerge: ["series"] });
  }

  draw();
  var pending = null;
  var drawnWidth = element.clientWidth;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      if (element.clientWidth !== drawnWidth) { drawnWidth = element.clientWidth; draw(); }
    }, 150);
  });
})();
