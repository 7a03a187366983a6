// The problem-solving chain: stages left to right, actors sized by importance and
// coloured by our relationship, flows as arrows. A click on an actor loads its
// description and people into the panel beside the diagram; PNG saves the picture.
//
// Laid out here, in pixels of the card it sits in, and again whenever that changes size:
// the stages share the full width, each stage's actors stack below its name, and the
// chart grows as tall as they need. Every name is shown whole: wrapped onto lines as wide
// as its stage leaves room for, in a smaller font only down to a readable minimum. Where
// the stages side by side would be too narrow even then (a phone, or many stages), they
// run from top to bottom instead, their actors side by side across the full width.
(function () {
  "use strict";
  var element = document.getElementById("chain-diagram");
  var source = document.getElementById("chain-diagram-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  var FONT = "sans-serif"; // ECharts' own, so what we measure is what it draws
  var LARGEST = 12; // px; names shrink from here …
  var SMALLEST = 10; // … to here, and no further: below it they are hard to read
  var CELL = 150; // px: the least room for one actor beside another in a stage
  var GAP = 14; // px between the names of neighbours
  var PAD_X = 3; // the pale box behind a name, readable where arrows run behind it
  var PAD_Y = 1;
  var DISTANCE = 5; // from a circle to its name
  var ROW_GAP = 12; // between a name and the next row's circles
  var STAGE_GAP = 18; // between the last actor of a stage and the next stage's name
  var EDGE = 8; // around the whole drawing

  var headers = data.nodes.filter(function (n) { return n.header; });
  var actors = data.nodes.filter(function (n) { return !n.header; });
  var byStage = {};
  actors.forEach(function (a) { (byStage[a.stage] = byStage[a.stage] || []).push(a); });
  var columnCount = headers.reduce(function (most, h) { return Math.max(most, h.column + 1); }, 1);

  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, size, bold) {
    measure.font = (bold ? "bold " : "") + size + "px " + FONT;
    return measure.measureText(text).width;
  }
  function words(text) { return String(text).split(/\s+/).filter(Boolean); }
  function widestWord(nodes, size, bold) {
    var widest = 0;
    nodes.forEach(function (n) {
      words(n.name).forEach(function (w) { widest = Math.max(widest, textWidth(w, size, bold)); });
    });
    return widest;
  }
  // the lines a name takes in `room` pixels: whole words where they fit; a single word
  // wider than the room (only ever on the narrowest screens) is split where it must be
  function wrap(text, room, size, bold) {
    var lines = [];
    var line = "";
    words(text).forEach(function (word) {
      var longer = line ? line + " " + word : word;
      if (textWidth(longer, size, bold) <= room) { line = longer; return; }
      if (line) { lines.push(line); }
      while (word.length > 1 && textWidth(word, size, bold) > room) {
        var cut = word.length - 1;
        while (cut > 1 && textWidth(word.slice(0, cut), size, bold) > room) { cut -= 1; }
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
      }
      line = word;
    });
    if (line) { lines.push(line); }
    return lines.length ? lines : [""];
  }
  function room(width) { return width - GAP - 2 * PAD_X; }
  // the largest font in which every word of every name fits its room, or none
  function fontFor(width) {
    for (var size = LARGEST; size >= SMALLEST; size -= 1) {
      if (widestWord(actors, size, false) <= room(width) &&
          widestWord(headers, size, true) <= room(width)) { return size; }
    }
    return null;
  }
  function radius(node) {
    var border = (node.itemStyle && node.itemStyle.borderWidth) || 0;
    return node.symbolSize / 2 + border / 2;
  }
  // the room each column needs at a font size: its longest word, its largest circle
  function needs(size) {
    var need = [];
    for (var c = 0; c < columnCount; c += 1) {
      var inColumn = function (n) { return n.column === c; };
      var members = actors.filter(inColumn);
      var widest = Math.max(widestWord(headers.filter(inColumn), size, true),
                           widestWord(members, size, false));
      var circle = Math.max.apply(null, [0].concat(members.map(radius))) * 2;
      need.push(Math.max(widest + 2 * PAD_X, circle) + GAP);
    }
    return need;
  }
  // the stages side by side: the largest font at which every column gets what it needs,
  // each then as wide as its share of the whole; or none, if they do not fit
  function columns(width) {
    for (var size = LARGEST; size >= SMALLEST; size -= 1) {
      var need = needs(size);
      var total = need.reduce(function (sum, n) { return sum + n; }, 0);
      if (total <= width) {
        var left = 0;
        return {
          font: size,
          slots: need.map(function (n, c) {
            var slot = {
              left: left,
              width: width * n / total,
              stages: headers.filter(function (h) { return h.column === c; })
            };
            left += slot.width;
            return slot;
          })
        };
      }
    }
    return null;
  }

  // where everything sits at this width: {width, height, vertical, font, at: id → [x, y],
  // lines: id → the name's lines}
  function layout(width) {
    var across = columns(width);
    var vertical = across === null;
    var font = vertical ? fontFor(width) || SMALLEST : across.font;
    var slots = vertical ? [{ left: 0, width: width, stages: headers }] : across.slots;
    var drawn = { width: width, vertical: vertical, font: font, at: {}, lines: {}, height: 0 };
    // side by side, the first stages' names take the room of the tallest, so their first
    // actors stand in one line
    var top = Math.max.apply(null, slots.map(function (slot) {
      return slot.stages.length ? nameHeight(slot.stages[0], slot, font) : 0;
    }));
    slots.forEach(function (slot) {
      var y = EDGE;
      slot.stages.forEach(function (stage, i) {
        y = placeStage(drawn, slot, stage, y, i === 0 ? top : 0) + STAGE_GAP;
      });
      drawn.height = Math.max(drawn.height, y - STAGE_GAP + EDGE);
    });
    return drawn;
  }

  function lineHeight(font) { return Math.round(font * 1.3); }
  function nameHeight(stage, slot, font) {
    return wrap(stage.name, room(slot.width), font, true).length * lineHeight(font) + 2 * PAD_Y;
  }

  // a stage's name (in at least `least` pixels), then its actors in rows, as many side by
  // side as their names allow; returns the bottom of the stage
  function placeStage(drawn, slot, stage, y, least) {
    var font = drawn.font;
    var centre = slot.left + slot.width / 2;
    var name = wrap(stage.name, room(slot.width), font, true);
    var height = name.length * lineHeight(font) + 2 * PAD_Y;
    drawn.lines[stage.id] = name;
    drawn.at[stage.id] = [centre, y + height / 2];
    y += Math.max(height, least) + DISTANCE;
    var members = byStage[stage.id] || [];
    var across = Math.max(1, Math.min(members.length, Math.floor(slot.width / CELL)));
    while (across > 1 && widestWord(members, font, false) > room(slot.width / across)) {
      across -= 1;
    }
    var cell = slot.width / across;
    for (var first = 0; first < members.length; first += across) {
      var row = members.slice(first, first + across);
      var highest = Math.max.apply(null, row.map(radius));
      var tallest = 0;
      row.forEach(function (actor, i) {
        var lines = wrap(actor.name, room(cell), font, false);
        drawn.lines[actor.id] = lines;
        drawn.at[actor.id] = [slot.left + (i + 0.5) * cell, y + highest];
        // the name hangs below its own circle, which may be smaller than the row's largest
        var below = highest + radius(actor) + DISTANCE + lines.length * lineHeight(font) + 2 * PAD_Y;
        tallest = Math.max(tallest, below);
      });
      y += tallest + ROW_GAP;
    }
    return y - (members.length ? ROW_GAP : 0);
  }

  var chart = echarts.init(element, null, { renderer: "canvas" });
  var encode = echarts.format.encodeHTML;
  var hidden = {};
  function visibleLinks() {
    return data.links.filter(function (l) { return !hidden[l.kind]; });
  }
  function label(drawn, node) {
    var text = drawn.lines[node.id].join("\n");
    var common = {
      show: true,
      formatter: function () { return text; }, // a function: braces in a name stay as typed
      fontFamily: FONT,
      fontSize: drawn.font,
      lineHeight: lineHeight(drawn.font),
      align: "center",
      padding: [PAD_Y, PAD_X],
      backgroundColor: "rgba(255,255,255,0.85)",
      borderRadius: 2
    };
    if (node.header) {
      return Object.assign(common, { position: "inside", fontWeight: "bold", color: "#495057" });
    }
    return Object.assign(common, { position: "bottom", distance: DISTANCE });
  }
  function nodesAt(drawn) {
    return data.nodes.map(function (n) {
      var node = Object.assign({}, n, { value: drawn.at[n.id], label: label(drawn, n) });
      if (n.header) {
        Object.assign(node, {
          symbol: "rect",
          itemStyle: { color: "transparent" },
          emphasis: { disabled: true }
        });
      }
      return node;
    });
  }
  function option(drawn) {
    return {
      grid: { left: 0, right: 0, top: 0, bottom: 0 },
      xAxis: { type: "value", min: 0, max: drawn.width, show: false },
      yAxis: { type: "value", min: 0, max: drawn.height, inverse: true, show: false },
      series: [{ data: nodesAt(drawn) }]
    };
  }

  // a card not yet shown has no width: lay out for a usual one until it gets its own
  var drawn = layout(element.clientWidth || 600);
  element.style.height = Math.ceil(drawn.height) + "px";
  chart.resize();
  element.setAttribute("data-orientation", drawn.vertical ? "vertical" : "horizontal");
  chart.setOption(Object.assign(option(drawn), {
    animation: false,
    tooltip: {
      confine: true, // inside the chart, so a narrow card never cuts it off
      formatter: function (p) {
        if (p.dataType === "edge") { return encode(p.data.label); }
        if (p.data.header) { return "<strong>" + encode(p.data.name) + "</strong>"; }
        return "<strong>" + encode(p.data.name) + "</strong><br>" + encode(p.data.detail || "");
      },
      extraCssText: "max-width: 22rem; white-space: normal;"
    },
    series: [{
      type: "graph",
      coordinateSystem: "cartesian2d",
      layout: "none",
      data: nodesAt(drawn),
      links: visibleLinks(),
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 10,
      emphasis: { focus: "adjacency", scale: false, lineStyle: { width: 4 } },
      lineStyle: { opacity: 0.9 }
    }]
  }));

  // laid out again when the card changes width: a turned phone, a resized window
  var pending = null;
  function relayout() {
    pending = null;
    var width = element.clientWidth;
    if (!width || Math.abs(width - drawn.width) < 1) { return; }
    drawn = layout(width);
    element.style.height = Math.ceil(drawn.height) + "px";
    element.setAttribute("data-orientation", drawn.vertical ? "vertical" : "horizontal");
    chart.resize();
    chart.setOption(option(drawn));
  }
  function schedule() {
    if (pending === null) { pending = window.requestAnimationFrame(relayout); }
  }
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(schedule).observe(element);
  }
  window.addEventListener("resize", schedule);

  chart.on("click", function (p) {
    if (p.dataType !== "node" || !p.data.url) { return; }
    // beside the diagram on the chain's page; elsewhere (the customer page) open the chain
    if (document.getElementById("actor-panel") && typeof htmx !== "undefined") {
      htmx.ajax("GET", p.data.url, { target: "#actor-panel", swap: "innerHTML" });
    } else {
      window.location.href = p.data.url;
    }
  });
  // the legend's check boxes show and hide each kind of flow
  document.querySelectorAll("[data-flow-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      hidden[box.getAttribute("data-flow-kind")] = !box.checked;
      chart.setOption({ series: [{ links: visibleLinks() }] });
    });
  });
  var png = document.getElementById("chain-png");
  if (png) {
    png.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      link.download = png.getAttribute("data-filename") || "chain.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }
})();
