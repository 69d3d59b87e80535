/* bomay visualiser: draws the charts embedded in the page as JSON.
 *
 * Every string that comes from the data (names, notes, sources) reaches the DOM
 * through textContent or a vis-network canvas label, never through innerHTML:
 * tooltips are DOM elements built here, not HTML strings.
 */
(function () {
  "use strict";

  var bomay = (window.bomay = { charts: {}, ready: false });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* A tooltip / details box from [label, value] rows, as DOM text. */
  function infoBox(info, className) {
    var box = el("div", className || "bv-tip");
    var table = el("table");
    (info || []).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function readData() {
    var script = document.getElementById("bv-data");
    return script ? JSON.parse(script.textContent) : { charts: {} };
  }

  function showDetails(panel, item) {
    if (!panel) return;
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.appendChild(el("h3", null, item.cluster ? "Collapsed units" : item.label));
    panel.appendChild(infoBox(item.info, "bv-details-box"));
    if (item.href && bomay.mode === "served") {
      var link = el("a", "bv-open", item.cluster ? "Open this part" : "Open its chart");
      link.href = item.href; /* built on the server: a percent-encoded path */
      panel.appendChild(link);
    }
    panel.hidden = false;
  }

  function fitAll(network, chart, container) {
    var xs = [], ys = [];
    chart.nodes.forEach(function (n) {
      if (typeof n.x === "number" && typeof n.y === "number") { xs.push(n.x); ys.push(n.y); }
    });
    if (!xs.length) { network.fit({ animation: false }); return; }
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var top = chart.axis && chart.axis.length ? minY - 90 : minY - 30;
    var width = maxX - minX + 190, height = maxY - top + 90;
    var box = container.getBoundingClientRect();
    var scale = Math.min(box.width / width, box.height / height, 1.2);
    network.moveTo({ position: { x: (minX + maxX) / 2, y: (top + maxY + 60) / 2 },
                     scale: scale, animation: false });
  }

  function drawAxis(network, chart, ctx) {
    if (!chart.axis || !chart.axis.length) return;
    var top = Infinity;
    chart.nodes.forEach(function (n) { if (typeof n.y === "number" && n.y < top) top = n.y; });
    if (!isFinite(top)) top = 0;
    ctx.save();
    ctx.font = "bold 14px system-ui, sans-serif";
    ctx.fillStyle = "#37474f";
    ctx.textAlign = "center";
    chart.axis.forEach(function (tick) {
      ctx.fillText(String(tick.label), tick.x, top - 70);
      ctx.strokeStyle = "#cfd8dc";
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(tick.x, top - 60);
      ctx.lineTo(tick.x, top - 40);
      ctx.stroke();
    });
    ctx.restore();
  }

  function draw(container, name, chart) {
    var nodes = new vis.DataSet(chart.nodes.map(function (n) {
      var item = Object.assign({}, n);
      if (n.info) item.title = infoBox(n.info);
      return item;
    }));
    var edges = new vis.DataSet(chart.edges.map(function (e, i) {
      var item = Object.assign({ id: "e" + i }, e);
      if (e.info) item.title = infoBox(e.info);
      return item;
    }));
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, chart.options);
    /* Positions are given: show the whole chart, labels included (vis's own fit counts
       the dots only, and its first view guesses a zoom from the node count). */
    fitAll(network, chart, container);
    var panel = document.querySelector('[data-details="' + name + '"]');

    network.on("beforeDrawing", function (ctx) {
      /* An opaque background, so that the PNG download is not transparent. */
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
    });
    network.on("afterDrawing", function (ctx) { drawAxis(network, chart, ctx); });
    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var item = nodes.get(params.nodes[0]);
      if (!item) return;
      if (item.href && bomay.mode === "served") {
        window.location.assign(item.href);
      } else {
        showDetails(panel, item);
      }
    });
    var entry = { network: network, nodes: nodes, edges: edges, drawn: false };
    network.once("afterDrawing", function () {
      entry.drawn = true;
      markReady();
    });
    bomay.charts[name] = entry;
    return entry;
  }

  function markReady() {
    var all = Object.keys(bomay.charts).every(function (k) { return bomay.charts[k].drawn; });
    if (all) {
      bomay.ready = true;
      document.body.setAttribute("data-ready", "1");
    }
  }

  function downloadPng(name, button) {
    var container = document.querySelector('[data-chart="' + name + '"]');
    var canvas = container && container.querySelector("canvas");
    if (!canvas) return;
    canvas.toBlob(function (blob) {
      if (!blob) return;
      var url = URL.createObjectURL(blob);
      var link = document.createElement("a");
      link.href = url;
      link.download = button.getAttribute("data-filename") || "chart.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }, "image/png");
  }

  /* Live search on the landing page, through the API's /search. */
  function setupSearch() {
    var form = document.getElementById("bv-search");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var list = document.getElementById("bv-search-results");
    var status = document.getElementById("bv-search-status");
    var endpoint = form.getAttribute("data-api");
    var vizPrefix = form.getAttribute("data-viz") || "/viz/units/";
    var timer = null;
    var serial = 0;

    function itemsOf(body) {
      var items = Array.isArray(body) ? body : (body && (body.results || body.items || body.units || body.data)) || [];
      return items.map(function (it) {
        var unit = it && it.unit ? it.unit : it;
        return unit && typeof unit === "object" ? unit : null;
      }).filter(function (u) { return u && u.id !== undefined; });
    }

    function render(units, query) {
      while (list.firstChild) list.removeChild(list.firstChild);
      units.forEach(function (u) {
        var li = el("li");
        var a = el("a", null, u.name || u.id);
        a.href = vizPrefix + encodeURIComponent(String(u.id));
        li.appendChild(a);
        var extra = [u.name_en, u.kind].filter(Boolean).join(" · ");
        if (extra) li.appendChild(el("span", "bv-muted", " " + extra));
        list.appendChild(li);
      });
      status.textContent = units.length ? units.length + " result(s) for \u201c" + query + "\u201d"
                                        : "No unit matches \u201c" + query + "\u201d";
    }

    function run() {
      var query = input.value.trim();
      if (!query) { render([], ""); status.textContent = ""; return; }
      var mine = ++serial;
      var url = endpoint + (endpoint.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (body) { if (mine === serial) render(itemsOf(body), query); })
        .catch(function () { if (mine === serial) status.textContent = "Search failed; press Enter to search without scripts."; });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
  }

  function init() {
    var data = readData();
    bomay.mode = document.body.getAttribute("data-mode") || "served";
    bomay.data = data;
    var containers = document.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(containers, function (container) {
      var name = container.getAttribute("data-chart");
      if (data.charts && data.charts[name]) draw(container, name, data.charts[name]);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-png]"), function (button) {
      button.addEventListener("click", function () { downloadPng(button.getAttribute("data-png"), button); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), function (form) {
      /* Leave empty fields out of the URL (depth empty means every level). */
      form.addEventListener("formdata", function (event) {
        Array.from(event.formData.keys()).forEach(function (key) {
          if (event.formData.get(key) === "") event.formData.delete(key);
        });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit] input"), function (input) {
      input.addEventListener("change", function () {
        if (input.form.reportValidity()) input.form.requestSubmit();
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-fit]"), function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-fit");
        var entry = bomay.charts[name];
        if (entry) fitAll(entry.network, bomay.data.charts[name],
                          document.querySelector('[data-chart="' + name + '"]'));
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-cross]"), function (box) {
      box.addEventListener("change", function () {
        var entry = bomay.charts[box.getAttribute("data-cross")];
        if (!entry) return;
        entry.edges.update(entry.edges.get({
          filter: function (e) { return e.type === "SERVES" || e.type === "GUIDED_BY"; }
        }).map(function (e) { return { id: e.id, hidden: !box.checked }; }));
      });
    });
    setupSearch();
    if (!containers.length) { bomay.ready = true; document.body.setAttribute("data-ready", "1"); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
