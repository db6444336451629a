/* paperkg view app: draws the views held in the page's JSON data with vis-network.
 *
 * Every text from the graph is put into the DOM with textContent (never innerHTML); node labels are
 * drawn on the canvas by vis-network. Links are made only for http(s) URLs.
 * window.__paperkgReady is true once the layout has settled (tests and the benchmark wait for it).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("paperkg-data").textContent);
  var classes = {};
  data.classes.forEach(function (c) { classes[c.name] = c; });
  var table = {};
  data.nodes.forEach(function (n) { table[n.id] = n; });

  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var statusBox = document.getElementById("status");
  var searchBox = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  var edgeLabels = document.getElementById("edge-labels");

  var state = {
    viewId: null, view: null, network: null, nodes: null, edges: null,
    hiddenClasses: {}, matches: [], matchIndex: -1, readyAt: null
  };
  window.__paperkg = state;
  window.__paperkgReady = false;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s"'<>\\`]+$/i.test(url) ? url : null;
  }

  function norm(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function setStatus(text) { statusBox.textContent = text; }

  function plural(count, word) { return count.toLocaleString("en") + " " + word + (count === 1 ? "" : "s"); }

  /* ---- vis-network items ---- */

  function visNode(n, isFocus, fontSize) {
    var c = classes[n.c];
    var node = {
      id: n.id, label: n.l, shape: c.shape, size: n.s, borderWidth: 1.5, borderWidthSelected: 3,
      color: {
        background: c.color, border: c.border,
        highlight: { background: c.color, border: "#111111" },
        hover: { background: c.color, border: "#111111" }
      },
      font: c.inside ? { size: fontSize - 1, color: "#1f2328" }
                     : { size: fontSize, color: "#1f2328", strokeWidth: 3, strokeColor: "#ffffff" },
      opacity: 1
    };
    if (n.c === "More") { node.shapeProperties = { borderDashes: [4, 3] }; node.font = { size: fontSize, color: "#3d444d" }; }
    if (isFocus) {
      node.borderWidth = 4; node.color.border = "#111111"; node.font.size = fontSize + 4;
      node.size = Math.max(n.s * 1.3, 26);
    }
    if (state.hiddenClasses[n.c]) { node.hidden = true; }
    return node;
  }

  function visEdge(index, big) {
    var e = data.edges[index];
    // Links projected through hidden papers (co-authors) have no direction.
    var directed = !/^(co-author|shares a paper)/.test(e[2]);
    return {
      id: "e" + index, from: e[0], to: e[1], label: e[2],
      arrows: { to: { enabled: directed, scaleFactor: 0.45 } },
      color: { color: "#b8bec6", highlight: "#4a5058", hover: "#6b737d" },
      dashes: e[2] === "more",
      smooth: big ? false : { enabled: true, type: "continuous", roundness: 0.2 }
    };
  }

  var LAYOUT_BUDGET_MS = 3000;

  function physicsFor(count) {
    // Bounded work: fewer iterations for bigger views, then physics is switched off for good.
    var iterations = Math.max(120, Math.min(600, Math.round(240000 / Math.max(count, 1))));
    return {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -90, centralGravity: 0.012, springLength: 110,
                          springConstant: 0.06, damping: 0.55, avoidOverlap: 0.8 },
      maxVelocity: 60, minVelocity: 1.5, timestep: 0.45, adaptiveTimestep: true,
      stabilization: { enabled: true, iterations: iterations, updateInterval: 10, fit: true }
    };
  }

  /* ---- views ---- */

  function viewFromHash() {
    var match = /(?:^|[#&])view=([^&]+)/.exec(window.location.hash);
    var id = match ? decodeURIComponent(match[1]) : data["default"];
    return Object.prototype.hasOwnProperty.call(data.views, id) ? id : data["default"];
  }

  function showView(id) {
    var view = data.views[id];
    window.__paperkgReady = false;
    state.viewId = id;
    state.view = view;
    state.matches = [];
    state.matchIndex = -1;
    hideTooltip();
    details.hidden = true;
    searchBox.value = "";
    searchStatus.textContent = "";
    document.body.setAttribute("data-view", id);

    document.getElementById("view-title").textContent = [view.title, view.subtitle].filter(Boolean).join(" — ");
    var home = document.getElementById("view-home");
    home.hidden = id === data["default"] || Object.keys(data.views).length < 2;
    home.setAttribute("href", "#view=" + encodeURIComponent(data["default"]));
    document.getElementById("view-notes").textContent = view.notes.length ? "Showing " + view.notes.join("; ") : "";

    var focus = {};
    view.focus.forEach(function (f) { focus[f] = true; });
    var big = view.edges.length > 700;
    // Bigger views are drawn zoomed out: larger label fonts keep them readable there.
    var fontSize = view.nodes.length > 300 ? 20 : view.nodes.length > 80 ? 17 : 14;
    state.nodes = new vis.DataSet(view.nodes.map(function (id_) { return visNode(table[id_], focus[id_], fontSize); }));
    state.edges = new vis.DataSet(view.edges.map(function (i) { return visEdge(i, big); }));
    buildLegend(view);

    if (state.network) { state.network.destroy(); state.network = null; }
    var count = view.nodes.length;
    var options = {
      autoResize: true,
      layout: { randomSeed: 7, improvedLayout: count <= 120 },
      physics: physicsFor(count),
      interaction: { hover: true, tooltipDelay: 100, multiselect: true, navigationButtons: false,
                     keyboard: false, hideEdgesOnDrag: count > 600, hideEdgesOnZoom: count > 1200 },
      nodes: { scaling: { label: { enabled: false } } },
      edges: { width: 1, selectionWidth: 1.5, hoverWidth: 0.5,
               font: { size: edgeLabels.checked ? 9 : 0, color: "#6b737d", strokeWidth: 2, strokeColor: "#ffffff", align: "middle" } }
    };
    setStatus("Laying out " + plural(count, "node") + "…");
    var network = new vis.Network(container, { nodes: state.nodes, edges: state.edges }, options);
    state.network = network;
    var layoutStarted = performance.now();
    network.on("stabilizationProgress", function (p) {
      setStatus("Laying out " + plural(count, "node") + "… " + Math.round(100 * p.iterations / p.total) + "%");
      // Bounded in time as well as in steps: a slow or busy machine gets a rougher layout, not a wait.
      if (performance.now() - layoutStarted > LAYOUT_BUDGET_MS) { network.stopSimulation(); }
    });
    network.once("stabilizationIterationsDone", function () { settle(network); });
    network.on("hoverNode", function (p) { showTooltip(p.node, p.pointer.DOM); });
    network.on("blurNode", hideTooltip);
    network.on("dragStart", hideTooltip);
    network.on("zoom", hideTooltip);
    network.on("click", function (p) {
      if (p.nodes.length) { showDetails(p.nodes[0]); } else { details.hidden = true; }
    });
    if (count === 0) { settle(network); }
  }

  function settle(network) {
    if (network !== state.network) { return; }
    network.setOptions({ physics: { enabled: false } });
    // Ready means drawn: the flag is set by the first frame painted after the layout settled.
    network.once("afterDrawing", function () { markReady(network); });
    network.fit({ animation: false });
    network.redraw();
  }

  function markReady(network) {
    if (network !== state.network) { return; }
    state.readyAt = performance.now();
    window.__paperkgReadyAt = state.readyAt;
    var summaries = state.view.nodes.filter(function (id) { return table[id].c === "More"; }).length;
    setStatus(plural(state.view.nodes.length - summaries, "node") + (summaries ? " (+" + plural(summaries, "summary node") + ")" : "") +
              " · " + plural(state.view.edges.length, "link"));
    window.__paperkgReady = true;
  }

  /* ---- legend and class filter ---- */

  function shapeIcon(c) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
      triangle: ["polygon", { points: "8,1.5 14.5,14 1.5,14" }],
      triangleDown: ["polygon", { points: "1.5,2 14.5,2 8,14.5" }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
      star: ["polygon", { points: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" }],
      hexagon: ["polygon", { points: "4,2 12,2 15.5,8 12,14 4,14 0.5,8" }],
      ellipse: ["ellipse", { cx: 8, cy: 8, rx: 7.5, ry: 5 }],
      box: ["rect", { x: 1, y: 3.5, width: 14, height: 9, rx: 2 }],
      database: ["rect", { x: 3, y: 1.5, width: 10, height: 13, rx: 4 }]
    };
    var spec = shapes[c.shape] || shapes.dot;
    var shape = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, String(spec[1][k])); });
    shape.setAttribute("fill", c.color);
    shape.setAttribute("stroke", c.border);
    svg.appendChild(shape);
    return svg;
  }

  function buildLegend(view) {
    var list = document.getElementById("legend-items");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var counts = {};
    view.nodes.forEach(function (id) { var c = table[id].c; counts[c] = (counts[c] || 0) + 1; });
    data.classes.forEach(function (c) {
      if (!counts[c.name]) { return; }
      var li = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = !state.hiddenClasses[c.name];
      box.setAttribute("data-class", c.name);
      box.addEventListener("change", function () { setClassVisible(c.name, box.checked); });
      label.appendChild(box);
      label.appendChild(shapeIcon(c));
      label.appendChild(el("span", "name", c.label));
      label.appendChild(el("span", "count", counts[c.name].toLocaleString("en")));
      li.appendChild(label);
      list.appendChild(li);
    });
  }

  function setClassVisible(name, visible) {
    if (visible) { delete state.hiddenClasses[name]; } else { state.hiddenClasses[name] = true; }
    var updates = [];
    state.view.nodes.forEach(function (id) {
      if (table[id].c === name) { updates.push({ id: id, hidden: !visible }); }
    });
    state.nodes.update(updates);
    if (searchBox.value) { runSearch(searchBox.value); }
  }

  /* ---- search ---- */

  function runSearch(query) {
    var q = norm(query);
    var updates = [];
    state.matchIndex = -1;
    if (!q) {
      state.matches = [];
      state.view.nodes.forEach(function (id) { updates.push({ id: id, opacity: 1 }); });
      state.nodes.update(updates);
      state.network.unselectAll();
      searchStatus.textContent = "";
      return;
    }
    var tokens = q.split(" ");
    var matches = state.view.nodes.filter(function (id) {
      var n = table[id];
      if (state.hiddenClasses[n.c] || !n.q) { return false; }
      var text = " " + n.q;
      return tokens.every(function (t) { return text.indexOf(" " + t) >= 0 || text.indexOf(t) >= 0; });
    });
    state.matches = matches;
    var hit = {};
    matches.forEach(function (id) { hit[id] = true; });
    state.view.nodes.forEach(function (id) {
      updates.push({ id: id, opacity: matches.length === 0 || hit[id] ? 1 : 0.18 });
    });
    state.nodes.update(updates);
    state.network.selectNodes(matches, false);
    searchStatus.textContent = matches.length === 0 ? "no match" : plural(matches.length, "match").replace("matchs", "matches");
    if (matches.length === 1) {
      state.network.focus(matches[0], { scale: 1.1, animation: false });
    } else if (matches.length > 1 && matches.length <= 60) {
      state.network.fit({ nodes: matches, animation: false });
    }
  }

  function nextMatch() {
    if (!state.matches.length) { return; }
    state.matchIndex = (state.matchIndex + 1) % state.matches.length;
    var id = state.matches[state.matchIndex];
    state.network.focus(id, { scale: 1.2, animation: { duration: 250 } });
    state.network.selectNodes([id], false);
    showDetails(id);
    searchStatus.textContent = (state.matchIndex + 1) + " of " + state.matches.length;
  }

  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { runSearch(searchBox.value); }, 120);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      if (state.matchIndex < 0) { runSearch(searchBox.value); }
      nextMatch();
      event.preventDefault();
    } else if (event.key === "Escape") {
      searchBox.value = "";
      runSearch("");
    }
  });

  /* ---- tooltip and details ---- */

  function hideTooltip() { tooltip.hidden = true; }

  function showTooltip(id, pointer) {
    var n = table[id];
    if (!n) { return; }
    while (tooltip.firstChild) { tooltip.removeChild(tooltip.firstChild); }
    tooltip.appendChild(el("div", "tt-title", n.t));
    var kind = el("div", "tt-row");
    kind.appendChild(el("b", null, n.c === "More" ? "Summary" : n.c));
    if (n.c !== "More") { kind.appendChild(document.createTextNode(" · " + plural(n.d, "link"))); }
    tooltip.appendChild(kind);
    n.f.slice(0, 5).forEach(function (fact) {
      var row = el("div", "tt-row");
      row.appendChild(el("b", null, fact[0] + ": "));
      row.appendChild(document.createTextNode(fact[1]));
      tooltip.appendChild(row);
    });
    if (n.x) { tooltip.appendChild(el("div", "tt-ex", n.x.length > 200 ? n.x.slice(0, 199) + "…" : n.x)); }
    n.u.forEach(function (u) {
      if (!safeUrl(u[1])) { return; }
      var row = el("div", "tt-row");
      row.appendChild(el("b", null, u[0] + ": "));
      row.appendChild(document.createTextNode(u[1].replace(/^https?:\/\//i, "")));
      tooltip.appendChild(row);
    });
    if (n.c !== "More") { tooltip.appendChild(el("div", "tt-hint", "click for details and links")); }
    tooltip.hidden = false;
    var x = pointer.x + 14, y = pointer.y + 14;
    var box = container.getBoundingClientRect();
    if (x + tooltip.offsetWidth > box.width) { x = Math.max(4, pointer.x - tooltip.offsetWidth - 14); }
    if (y + tooltip.offsetHeight > box.height) { y = Math.max(4, pointer.y - tooltip.offsetHeight - 14); }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }

  function linksInView(id) {
    var count = 0;
    state.view.edges.forEach(function (i) { var e = data.edges[i]; if (e[0] === id || e[1] === id) { count += 1; } });
    return count;
  }

  function showDetails(id) {
    var n = table[id];
    if (!n) { return; }
    while (details.firstChild) { details.removeChild(details.firstChild); }
    var close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { details.hidden = true; });
    details.appendChild(close);
    var chip = el("span", "chip", n.c === "More" ? "Summary" : n.c);
    chip.style.background = classes[n.c].border;
    details.appendChild(chip);
    details.appendChild(el("h2", null, n.t));
    var dl = el("dl", "facts");
    var rows = n.f.slice();
    if (n.c !== "More") { rows.push(["Links", n.d.toLocaleString("en") + " (" + linksInView(id) + " in this view)"]); }
    rows.forEach(function (fact) {
      dl.appendChild(el("dt", null, fact[0]));
      dl.appendChild(el("dd", null, fact[1]));
    });
    details.appendChild(dl);
    if (n.x) { details.appendChild(el("p", "excerpt", n.x)); }
    var links = n.u.filter(function (u) { return safeUrl(u[1]); });
    var viewKey = data.nodeViews[id];
    if (links.length || (viewKey && viewKey !== state.viewId)) {
      var ul = el("ul", "links");
      if (viewKey && viewKey !== state.viewId) {
        var li0 = el("li");
        var a0 = el("a", null, "open its focused view");
        a0.setAttribute("href", "#view=" + encodeURIComponent(viewKey));
        li0.appendChild(a0);
        ul.appendChild(li0);
      }
      links.forEach(function (u) {
        var li = el("li");
        var a = el("a", null, u[0] + ": " + u[1]);
        a.setAttribute("href", safeUrl(u[1]));
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
        li.appendChild(a);
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    if (n.c !== "More") {
      details.appendChild(el("div", "cli", "paperkg viz --focus " + JSON.stringify(n.c.toLowerCase() + ":" + n.t)));
    }
    details.hidden = false;
  }

  /* ---- wiring ---- */

  document.getElementById("fit").addEventListener("click", function () {
    if (state.network) { state.network.fit({ animation: { duration: 300 } }); }
  });
  edgeLabels.addEventListener("change", function () {
    if (state.network) { state.network.setOptions({ edges: { font: { size: edgeLabels.checked ? 9 : 0 } } }); }
  });
  window.addEventListener("hashchange", function () {
    var id = viewFromHash();
    if (id !== state.viewId) {
      showView(id);
      var panel = document.getElementById("graph-panel");
      if (panel.scrollIntoView && document.body.classList.contains("report")) { panel.scrollIntoView({ block: "start" }); }
    }
  });

  showView(viewFromHash());
})();
