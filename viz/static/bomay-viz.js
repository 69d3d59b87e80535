/* bomay visualiser: draws the charts embedded in the page as JSON (built with pyvis).
 *
 * Org charts are laid out here as a tidy tree: each unit's subtree owns a band of
 * columns no other subtree uses, a parent sits centred over its children, and a family
 * of three or more leaves folds into a list in one column under its parent, hung from
 * a trunk (so no unit is ever drawn under a sibling as if it were its child). Only the
 * first levels that fit the screen at a legible zoom (labels >= 11 px) are shown; a
 * unit with "+N" expands in place (children from the page, or from the API), a double
 * click opens its own chart.
 *
 * Every string that comes from the data reaches the DOM through textContent or a
 * canvas label, never through innerHTML.
 */
(function () {
  "use strict";

  var bomay = (window.bomay = { charts: {}, ready: false });
  var COL = 200, ROW = 130, LIST_MIN = 3, LIST_CAP = 30, INDENT = 10, BOX_W = 164;
  var FONT = 14, MIN_SCALE = 0.8, MAX_SCALE = 1.0;
  var S = {};
  var LANG = "vi";

  /* A count as the page writes it, grouped by thousands in its language (the server's
     viz.i18n.fmt_number): 64.851 in Vietnamese, 64,851 in English. */
  function num(n) {
    var text = String(n);
    if (!/^-?\d+$/.test(text)) return text;
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, LANG === "en" ? "," : ".");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

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

  /* dd/mm/yyyy (mm/yyyy, yyyy) from an ISO date text, whatever the browser's locale. */
  function dmy(iso) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(iso || ""));
    if (!m) return iso ? String(iso) : "";
    return [m[3], m[2], m[1]].filter(Boolean).join("/");
  }
  function isoOf(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(String(text || ""));
    if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
    var d = +m[1], mo = +m[2], y = +m[3];
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return y + "-" + String(mo).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }
  bomay.dmy = dmy;
  bomay.isoOf = isoOf;

  /* Lines of a label in a 150 px box at 14 px, wrapped word by word as vis-network 9.1
     wraps it (LabelSplitter: words and runs of spaces are tokens joined by one more space,
     so a gap between two words counts three spaces; over `widthConstraint.maximum`, 150,
     the line breaks): measured, not counted in characters (`Sở Y tế Hà Giang`, 16
     characters, takes two lines; counted as one, the next box of a list overlapped it). */
  var measure = null;
  function textWidth(text) {
    if (!measure) {
      measure = document.createElement("canvas").getContext("2d");
      if (measure) measure.font = "14px system-ui, sans-serif";
    }
    return measure ? measure.measureText(text).width : text.length * 7.8;
  }
  function lines(label) {
    var room = 150;
    return String(label).split("\n").reduce(function (n, part) {
      var count = 1, line = "";
      part.split(/ +/).forEach(function (word) {
        var next = line ? line + "   " + word : word;
        if (line && textWidth(next) > room) { count += 1; line = word; } else line = next;
      });
      return n + count;
    }, 0);
  }
  function boxHeight(label) { return lines(label) * 17 + 18; }

  /* ---- the tree model of an org chart ------------------------------------------------ */
  function Tree(chart, meta) {
    var self = this;
    this.meta = meta;
    this.byId = {};
    this.kids = {};
    this.root = null;
    this.expanded = {};
    this.shownMore = {};
    this.listMax = Infinity;  /* the height a list may take before it goes on in a next column */
    this.deepMax = null;  /* the same for a list further down, by its parent's level (or none) */
    chart.nodes.forEach(function (n) { self.addNode(n); });
    this.cross = chart.edges.filter(function (e) { return e.type === "SERVES" || e.type === "GUIDED_BY"; });
  }
  Tree.prototype.addNode = function (n) {
    if (this.byId[n.id]) return false;
    this.byId[n.id] = n;
    if (n.parent === null || n.parent === undefined || !this.byId[n.parent] && n.level === 0) {
      if (!this.root) this.root = n.id;
    }
    if (n.parent !== null && n.parent !== undefined) {
      (this.kids[n.parent] = this.kids[n.parent] || []).push(n.id);
    }
    return true;
  };
  Tree.prototype.loaded = function (id) {
    var n = this.byId[id];
    return !n.cc || (this.kids[id] || []).length >= n.cc;
  };
  Tree.prototype.visibleKids = function (id) {
    if (!this.expanded[id]) return [];
    return this.kids[id] || [];
  };
  Tree.prototype.visibleIds = function () {
    var out = [], stack = [this.root];
    while (stack.length) {
      var id = stack.pop();
      out.push(id);
      var ks = this.displayKids(id).ids;
      for (var i = ks.length - 1; i >= 0; i--) if (this.byId[ks[i]]) stack.push(ks[i]);
    }
    return out;
  };
  /* The children drawn under `id`: all of them, or the first LIST_CAP of a long list
     followed by a "+K more" node. */
  Tree.prototype.displayKids = function (id) {
    var ks = this.visibleKids(id);
    var self = this;
    var leaves = ks.filter(function (k) { return !self.visibleKids(k).length; });
    var listed = leaves.length >= LIST_MIN;
    var more = 0;
    if (listed && leaves.length > LIST_CAP && !this.shownMore[id]) {
      more = leaves.length - LIST_CAP;
      var keep = {};
      leaves.slice(0, LIST_CAP).forEach(function (k) { keep[k] = true; });
      ks = ks.filter(function (k) { return keep[k] || self.visibleKids(k).length; });
    }
    return { ids: ks, more: more };
  };

  /* A family's list in columns: the ids of its units, then the "+K more" box, column by
     column. The root's list takes columns of at most `listMax` px each (one column when it
     fits); a list further down stays one column, so that wrapping it does not widen the
     tree past the width that lets its level be opened on the first view. */
  Tree.prototype.listColumns = function (id, leaves, more) {
    var self = this, cols = [[]], used = 0;
    var max = id === this.root ? this.listMax
      : this.deepMax ? this.deepMax(this.byId[id].level - this.byId[this.root].level) : Infinity;
    var items = leaves.map(function (k) { return [k, boxHeight(self.label(k))]; });
    if (more) items.push(["more:" + id, boxHeight("+" + num(more))]);
    items.forEach(function (item) {
      var h = item[1] + 12;
      if (cols[cols.length - 1].length && used + h > max) { cols.push([]); used = 0; }
      cols[cols.length - 1].push(item[0]);
      used += h;
    });
    return cols;
  };

  /* The tidy tree: spans in columns, then positions. */
  Tree.prototype.layout = function () {
    var self = this, width = {}, plan = {};
    function measure(id) {
      var d = self.displayKids(id), ks = d.ids;
      if (!ks.length) { width[id] = 1; plan[id] = null; return; }
      ks.forEach(measure);
      var leaves = ks.filter(function (k) { return !self.displayKids(k).ids.length; });
      var listed = leaves.length >= LIST_MIN || (d.more > 0);
      var row = listed ? ks.filter(function (k) { return self.displayKids(k).ids.length; }) : ks;
      var cols = listed ? self.listColumns(id, leaves, d.more) : [];
      var w = cols.length;
      row.forEach(function (k) { w += width[k]; });
      width[id] = Math.max(1, w);
      plan[id] = { list: listed ? leaves : [], cols: cols, row: row, more: d.more };
    }
    measure(this.root);
    var pos = {}, spans = {}, extra = [];
    function place(id, left, y) {
      pos[id] = { x: (left + width[id] / 2) * COL, y: y };
      spans[id] = [left * COL, (left + width[id]) * COL];
      var p = plan[id];
      if (!p) return;
      var cx = left;
      if (p.list.length) {
        if (p.more) extra.push({ id: "more:" + id, parent: id, count: p.more });
        p.cols.forEach(function (col) {
          var colX = (cx + 0.5) * COL + INDENT;
          var ly = y + ROW * 0.75;
          col.forEach(function (k) {
            var h = self.byId[k] ? boxHeight(self.label(k)) : boxHeight("+" + num(p.more));
            ly += h / 2;
            pos[k] = { x: colX, y: ly };
            if (self.byId[k]) spans[k] = [cx * COL, (cx + 1) * COL];
            ly += h / 2 + 12;
          });
          cx += 1;
        });
      }
      p.row.forEach(function (k) { place(k, cx, y + ROW); cx += width[k]; });
    }
    place(this.root, 0, 0);
    var shift = pos[this.root].x;
    Object.keys(pos).forEach(function (k) { pos[k].x -= shift; });
    Object.keys(spans).forEach(function (k) { spans[k] = [spans[k][0] - shift, spans[k][1] - shift]; });
    this.pos = pos;
    this.spans = spans;
    this.plan = plan;
    this.extra = extra;
    this.width = width[this.root] * COL;
    return this;
  };
  Tree.prototype.label = function (id) {
    var n = this.byId[id];
    if (!n) return String(id);
    var collapsed = n.cc && !this.expanded[id];
    return n.label + (collapsed ? "\n\u2295 +" + num(n.cc) : "");
  };
  /* Show levels < depth (those whose children are in the page). */
  Tree.prototype.openTo = function (depth) {
    var self = this;
    this.expanded = {};
    Object.keys(this.byId).forEach(function (id) {
      var n = self.byId[id];
      if (n.level < depth && (self.kids[id] || []).length) self.expanded[id] = true;
    });
  };
  Tree.prototype.maxLevel = function () {
    var m = 0, self = this;
    Object.keys(this.byId).forEach(function (id) { if ((self.kids[id] || []).length) m = Math.max(m, self.byId[id].level + 1); });
    return m;
  };

  /* ---- drawing --------------------------------------------------------------------- */
  function visNode(tree, id) {
    var n = tree.byId[id], p = tree.pos[id];
    var item = Object.assign({}, n, { x: p.x, y: p.y, label: tree.label(id), fixed: true });
    delete item.info;
    item.title = infoBox(n.info);
    if (n.cc && !tree.expanded[id]) item.borderWidth = 3;
    return item;
  }

  function moreNode(tree, m) {
    var p = tree.pos[m.id];
    return { id: m.id, label: "+" + num(m.count) + " " + (S.more || "more"), cluster: true,
             parent: m.parent, x: p.x, y: p.y, fixed: true, shape: "box",
             color: { background: "#fff8e1", border: "#ff8f00",
                      highlight: { background: "#fff8e1", border: "#000000" } },
             borderWidth: 2, shapeProperties: { borderDashes: [4, 3] }, font: { color: "#5d4037" } };
  }

  function sync(entry) {
    var tree = entry.tree;
    tree.layout();
    var ids = tree.visibleIds();
    var want = {};
    var items = ids.map(function (id) { want[id] = true; return visNode(tree, id); });
    tree.extra.forEach(function (m) { want[m.id] = true; items.push(moreNode(tree, m)); });
    var gone = entry.nodes.getIds().filter(function (id) { return !want[id]; });
    if (gone.length) entry.nodes.remove(gone);
    entry.nodes.update(items);
    var edges = [];
    ids.forEach(function (id) {
      var n = tree.byId[id];
      if (n.parent !== null && n.parent !== undefined && want[n.parent]) {
        edges.push({ id: "p:" + id, from: n.parent, to: id, type: "PART_OF", hidden: true });
      }
    });
    tree.cross.forEach(function (e, i) {
      if (want[e.from] && want[e.to]) {
        var item = Object.assign({ id: "x" + i }, e, { hidden: !entry.showCross });
        if (e.info) item.title = infoBox(e.info);
        delete item.info;
        edges.push(item);
      }
    });
    var keepE = {};
    edges.forEach(function (e) { keepE[e.id] = true; });
    var goneE = entry.edges.getIds().filter(function (id) { return !keepE[id]; });
    if (goneE.length) entry.edges.remove(goneE);
    entry.edges.update(edges);
    var count = document.getElementById("bv-count-" + entry.name) || (entry.name === "main" && document.getElementById("bv-count"));
    if (count) count.textContent = num(ids.length);
  }

  /* The elbow connectors of the tree (vis draws no PART_OF line: they are hidden). */
  function connectors(entry, ctx) {
    var tree = entry.tree, pos = tree.pos;
    ctx.save();
    ctx.strokeStyle = "#78909c";
    ctx.lineWidth = 1.4;
    ctx.beginPath();
    Object.keys(tree.plan).forEach(function (id) {
      var p = tree.plan[id];
      if (!p || !pos[id]) return;
      var px = pos[id].x, py = pos[id].y, bus = py + ROW / 2;
      var xs = p.row.map(function (k) { return pos[k].x; });
      /* each column of a list hangs from its own trunk, off the family's bus */
      var cols = (p.cols || []).map(function (col) {
        return col.filter(function (k) { return pos[k]; });
      }).filter(function (col) { return col.length; });
      cols.forEach(function (col) { xs.push(pos[col[0]].x - BOX_W / 2 - 8); });
      if (!xs.length) return;
      ctx.moveTo(px, py);
      ctx.lineTo(px, bus);
      ctx.moveTo(Math.min.apply(null, xs.concat([px])), bus);
      ctx.lineTo(Math.max.apply(null, xs.concat([px])), bus);
      p.row.forEach(function (k) { ctx.moveTo(pos[k].x, bus); ctx.lineTo(pos[k].x, pos[k].y); });
      cols.forEach(function (col) {
        var trunk = pos[col[0]].x - BOX_W / 2 - 8;
        ctx.moveTo(trunk, bus);
        ctx.lineTo(trunk, pos[col[col.length - 1]].y);
        col.forEach(function (k) { ctx.moveTo(trunk, pos[k].y); ctx.lineTo(pos[k].x, pos[k].y); });
      });
    });
    ctx.stroke();
    ctx.restore();
  }

  function drawAxis(chart, ctx) {
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
    });
    ctx.restore();
  }

  /* The first view of a tree: the deepest sent level that fits the width at >= MIN_SCALE. */
  function firstView(entry, container) {
    var tree = entry.tree, box = container.getBoundingClientRect();
    var avail = Math.max(300, box.width - 20);
    /* A list under the root goes on in a next column where it would run under the box's
       bottom edge at full size (50 above the root, the root, the bus): twelve units under
       a new city are two columns side by side, not a column half out of sight. */
    tree.listMax = Math.max(4 * 70, box.height - 10 - 50 - 30 - ROW * 0.75);
    var depth = tree.maxLevel();
    for (; depth > 1; depth--) {
      tree.openTo(depth);
      tree.layout();
      if (tree.width * MIN_SCALE <= avail) break;
    }
    tree.openTo(depth);
    if (entry.chart.kind === "scenario") openChanged(tree);
    tree.layout();
    /* A list further down (a province's bodies, the new city's under the country) ran
       under the bottom edge too: it goes on in a next column where the width still lets
       the view be legible; else the box grows to hold it (see `home`). */
    if (overflows(tree, box)) {
      var roomy = tree.listMax, fits = false;
      /* the shortest columns whose width still fits: the new city's eleven in three */
      [1, 1.5, 2, 3].some(function (k) {
        tree.deepMax = function (level) { return Math.max(2 * 70, (roomy - level * ROW) * k); };
        tree.layout();
        fits = tree.width * MIN_SCALE <= avail;
        return fits;
      });
      if (!fits) { tree.deepMax = null; tree.layout(); }
    }
    entry.levels = depth;
    sync(entry);
    home(entry, container);
  }
  /* A scenario side opens the path to every changed unit it holds, down to the highest
     changed ones: a unit inside a changed one is shown when that one is opened (a province
     consolidated brings a hundred changed bodies; opened all, the provinces themselves
     would be off the first view). */
  function openChanged(tree) {
    function changed(n) { return n && n.status && n.status !== "unchanged"; }
    Object.keys(tree.byId).forEach(function (id) {
      var n = tree.byId[id];
      if (!changed(n)) return;
      for (var up = tree.byId[n.parent]; up; up = tree.byId[up.parent]) {
        if (changed(up)) return;
      }
      while (n && n.parent !== null && n.parent !== undefined && tree.byId[n.parent]) {
        tree.expanded[n.parent] = true;
        if (tree.displayKids(n.parent).more) tree.shownMore[n.parent] = true;
        n = tree.byId[n.parent];
      }
    });
  }

  /* The lowest edge of the tree's boxes, in canvas px. */
  function treeBottom(tree) {
    var bottom = tree.pos[tree.root].y;
    Object.keys(tree.pos).forEach(function (k) {
      var half = tree.byId[k] ? boxHeight(tree.label(k)) / 2 : 20;
      bottom = Math.max(bottom, tree.pos[k].y + half);
    });
    return bottom;
  }
  /* Whether the tree at its widest legible scale runs under the box's bottom edge. */
  function overflows(tree, box) {
    var scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, (box.width - 20) / tree.width));
    return (treeBottom(tree) - tree.pos[tree.root].y + 50) * scale > box.height - 10;
  }

  function home(entry, container) {
    var tree = entry.tree, box = container.getBoundingClientRect();
    var rootPos = tree.pos[tree.root];
    /* The view's top is 50 above the root: the scale fits the width and, as far as labels
       stay legible, the height too (a family of eight leaves is a list taller than the box
       at full size: its last units would be under the bottom edge). */
    var bottom = treeBottom(tree);
    var tall = (box.height - 10) / (bottom - rootPos.y + 50);
    var scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, (box.width - 20) / tree.width, tall));
    /* Still taller than the box at the smallest legible scale (three provinces' lists of
       bodies side by side, too wide to go on in next columns): the box grows to hold them,
       up to the window's height. */
    var needed = Math.ceil((bottom - rootPos.y + 50) * scale + 12);
    if (needed > box.height && box.height < window.innerHeight) {
      container.style.height = Math.min(needed, Math.floor(window.innerHeight * 0.95)) + "px";
      entry.network.setSize("100%", "100%");
      box = container.getBoundingClientRect();
    }
    var minX = Infinity, maxX = -Infinity;
    Object.keys(tree.pos).forEach(function (k) { minX = Math.min(minX, tree.pos[k].x); maxX = Math.max(maxX, tree.pos[k].x); });
    var cx = (minX + maxX) / 2;
    var halfW = box.width / 2 / scale;
    if (maxX - minX + COL > box.width / scale) cx = minX - COL / 2 + halfW;  /* too wide: start at the left */
    entry.network.moveTo({ position: { x: cx, y: rootPos.y - 50 + box.height / 2 / scale },
                           scale: scale, animation: false });
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
    var scale = Math.max(MIN_SCALE, Math.min(box.width / width, box.height / height, 1.2));
    var cy = (top + maxY + 60) / 2;
    /* Taller than the box at the smallest legible scale (seven predecessors in a column):
       start at the top, with the dates over the columns, rather than cut both ends. */
    if (height * scale > box.height) cy = top + box.height / 2 / scale;
    network.moveTo({ position: { x: (minX + maxX) / 2, y: cy },
                     scale: scale, animation: false });
  }

  /* Keep the node `id` where it is on screen while the tree around it changes. */
  function keepInPlace(entry, id, change) {
    var net = entry.network, before = entry.tree.pos[id] ? net.canvasToDOM(entry.tree.pos[id]) : null;
    change();
    if (!before || !entry.tree.pos[id]) return;
    var scale = net.getScale(), now = entry.tree.pos[id];
    var view = net.getViewPosition(), centre = net.canvasToDOM(view);
    net.moveTo({ position: { x: now.x - (before.x - centre.x) / scale, y: now.y - (before.y - centre.y) / scale },
                 scale: scale, animation: false });
  }

  /* The children of a unit, built by the server as it builds the chart's own boxes (same
     tooltip: English name, post holders, links; reading order): GET /viz/units/{id}/children. */
  function fetchChildren(entry, id) {
    var tree = entry.tree, api = bomay.data.api;
    if (!api || bomay.mode !== "served") return Promise.resolve(false);
    var url = api.chart + encodeURIComponent(id) + "/children?" + (api.at ? "at=" + encodeURIComponent(api.at) + "&" : "")
              + "lang=" + encodeURIComponent(api.lang || "vi");
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) {
        var level = tree.byId[id].level + 1;
        (body.children || []).forEach(function (c) {
          c.parent = id; c.level = level;
          tree.addNode(c);
        });
        tree.byId[id].cc = (tree.kids[id] || []).length;
        return true;
      });
  }

  function expand(entry, id, open) {
    var tree = entry.tree, n = tree.byId[id];
    if (!n || !n.cc) return Promise.resolve();
    if (open === undefined) open = !tree.expanded[id];
    var ready = tree.loaded(id) ? Promise.resolve(true) : (setStatus(entry, S.loading), fetchChildren(entry, id));
    return ready.then(function (ok) {
      setStatus(entry, "");
      if (!ok && !tree.loaded(id)) { if (!(tree.kids[id] || []).length) return; }
      keepInPlace(entry, id, function () {
        if (open) tree.expanded[id] = true; else delete tree.expanded[id];
        sync(entry);
      });
    }).catch(function () { setStatus(entry, S.load_failed); });
  }

  function setStatus(entry, text) {
    var st = document.querySelector('[data-status="' + entry.name + '"]');
    if (st) st.textContent = text || "";
  }

  function showDetails(entry, item) {
    var panel = document.querySelector('[data-details="' + entry.name + '"]');
    if (!panel || !item) return;
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var data = entry.tree ? entry.tree.byId[item.id] || item : item;
    panel.appendChild(el("h3", null, data.info && data.info[0] ? data.info[0][1] : data.label));
    panel.appendChild(infoBox(data.info, "bv-details-box"));
    if (data.href && bomay.mode === "served") {
      var link = el("a", "bv-open", S.open_chart || "Open its chart");
      link.href = data.href;
      panel.appendChild(link);
    }
    panel.hidden = false;
  }

  function draw(container, name, chart) {
    var isTree = chart.kind === "org" || chart.kind === "scenario";
    var nodes = new vis.DataSet(), edges = new vis.DataSet();
    var entry = { name: name, nodes: nodes, edges: edges, drawn: false, chart: chart, showCross: false };
    if (isTree && chart.nodes.length) {
      entry.tree = new Tree(chart);
    } else {
      nodes.add(chart.nodes.map(function (n) {
        var item = Object.assign({}, n);
        if (n.info) item.title = infoBox(n.info);
        delete item.info;
        return item;
      }));
      edges.add(chart.edges.map(function (e, i) {
        var item = Object.assign({ id: "e" + i }, e);
        if (e.info) item.title = infoBox(e.info);
        delete item.info;
        return item;
      }));
    }
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, chart.options);
    entry.network = network;
    bomay.charts[name] = entry;
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      if (entry.tree) connectors(entry, ctx);
    });
    network.on("afterDrawing", function (ctx) { drawAxis(chart, ctx); });
    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var id = params.nodes[0];
      var item = nodes.get(id);
      if (!item) return;
      if (entry.tree) {
        if (item.cluster) {
          keepInPlace(entry, item.parent, function () { entry.tree.shownMore[item.parent] = true; sync(entry); });
          return;
        }
        showDetails(entry, item);
        if (entry.tree.byId[id].cc) expand(entry, id);
      } else if (item.href && bomay.mode === "served") {
        window.location.assign(item.href);
      } else {
        showDetails(entry, item);
      }
    });
    network.on("doubleClick", function (params) {
      if (!params.nodes.length || !entry.tree) return;
      var n = entry.tree.byId[params.nodes[0]];
      if (n && n.href && bomay.mode === "served") window.location.assign(n.href);
    });
    if (entry.tree) firstView(entry, container);
    else fitAll(network, chart, container);
    network.once("afterDrawing", function () { entry.drawn = true; markReady(); });
    network.redraw();
    return entry;
  }

  function markReady() {
    var all = Object.keys(bomay.charts).every(function (k) { return bomay.charts[k].drawn; });
    if (all) { bomay.ready = true; document.body.setAttribute("data-ready", "1"); }
  }

  /* ---- export: the whole chart, not only what is on screen --------------------------- */
  function groupColours(entry, n) {
    if (n.color && n.color.background) return { fill: n.color.background, border: n.color.border || "#37474f", font: (n.font && n.font.color) || "#000" };
    var g = (entry.chart.options.groups || {})[n.group] || {};
    return { fill: (g.color && g.color.background) || "#eeeeee", border: (g.color && g.color.border) || "#37474f",
             font: (g.font && g.font.color) || "#000000" };
  }
  function wrap(measure, text, width) {
    var out = [];
    String(text).split("\n").forEach(function (part) {
      var line = "";
      part.split(/\s+/).forEach(function (word) {
        var next = line ? line + " " + word : word;
        if (line && measure(next) > width) { out.push(line); line = word; } else line = next;
      });
      out.push(line);
    });
    return out;
  }
  /* Paint the tree on `target` (canvas or SVG painter) at canvas coordinates. */
  function paintTree(entry, target) {
    var tree = entry.tree, pos = tree.pos;
    connectors(entry, target.pathContext());
    target.flushPath();
    entry.nodes.get().forEach(function (n) {
      var p = pos[n.id];
      if (!p) return;
      var c = groupColours(entry, n);
      var textLines = wrap(target.measure, n.label, BOX_W - 16);
      var h = textLines.length * 17 + 16;
      target.rect(p.x - BOX_W / 2, p.y - h / 2, BOX_W, h, c.fill, c.border,
                  n.shapeProperties && n.shapeProperties.borderDashes);
      textLines.forEach(function (line, i) {
        target.text(p.x, p.y - h / 2 + 8 + 13 + i * 17, line, c.font);
      });
    });
  }
  function bounds(entry) {
    var xs = [], ys = [];
    Object.keys(entry.tree.pos).forEach(function (k) { xs.push(entry.tree.pos[k].x); ys.push(entry.tree.pos[k].y); });
    return { x0: Math.min.apply(null, xs) - BOX_W, y0: Math.min.apply(null, ys) - 60,
             x1: Math.max.apply(null, xs) + BOX_W, y1: Math.max.apply(null, ys) + 70 };
  }

  function canvasPainter(ctx) {
    ctx.font = FONT + "px system-ui, sans-serif";
    return {
      measure: function (t) { return ctx.measureText(t).width; },
      pathContext: function () { return ctx; },
      flushPath: function () {},
      rect: function (x, y, w, h, fill, stroke, dashes) {
        ctx.save();
        ctx.fillStyle = fill; ctx.strokeStyle = stroke; ctx.lineWidth = 1.5;
        if (dashes) ctx.setLineDash(dashes);
        ctx.beginPath(); ctx.rect(x, y, w, h); ctx.fill(); ctx.stroke();
        ctx.restore();
      },
      text: function (x, y, t, colour) {
        ctx.save(); ctx.fillStyle = colour; ctx.textAlign = "center"; ctx.fillText(t, x, y); ctx.restore();
      }
    };
  }

  function pngOfTree(entry, filename) {
    var b = bounds(entry), w = b.x1 - b.x0, h = b.y1 - b.y0;
    var scale = Math.min(2, 16000 / w, 16000 / h, Math.sqrt(120e6 / (w * h)));
    var canvas = document.createElement("canvas");
    canvas.width = Math.ceil(w * scale); canvas.height = Math.ceil(h * scale);
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale, 0, 0, scale, -b.x0 * scale, -b.y0 * scale);
    paintTree(entry, canvasPainter(ctx));
    canvas.toBlob(function (blob) { if (blob) save(blob, filename); }, "image/png");
  }

  function svgOfTree(entry) {
    var NS = "http://www.w3.org/2000/svg";
    var b = bounds(entry);
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("viewBox", [b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0].join(" "));
    svg.setAttribute("width", String(Math.round(b.x1 - b.x0)));
    svg.setAttribute("height", String(Math.round(b.y1 - b.y0)));
    svg.setAttribute("font-family", "system-ui, sans-serif");
    svg.setAttribute("font-size", String(FONT));
    var bg = document.createElementNS(NS, "rect");
    ["x", "y"].forEach(function (k) { bg.setAttribute(k, String(k === "x" ? b.x0 : b.y0)); });
    bg.setAttribute("width", String(b.x1 - b.x0)); bg.setAttribute("height", String(b.y1 - b.y0));
    bg.setAttribute("fill", "#ffffff");
    svg.appendChild(bg);
    var measureCtx = document.createElement("canvas").getContext("2d");
    measureCtx.font = FONT + "px system-ui, sans-serif";
    var d = [];
    var pathCtx = { save: function () {}, restore: function () {}, beginPath: function () {}, stroke: function () {},
                    moveTo: function (x, y) { d.push("M" + x.toFixed(1) + " " + y.toFixed(1)); },
                    lineTo: function (x, y) { d.push("L" + x.toFixed(1) + " " + y.toFixed(1)); } };
    paintTree(entry, {
      measure: function (t) { return measureCtx.measureText(t).width; },
      pathContext: function () { return pathCtx; },
      flushPath: function () {
        var path = document.createElementNS(NS, "path");
        path.setAttribute("d", d.join(" ")); path.setAttribute("stroke", "#78909c");
        path.setAttribute("fill", "none"); path.setAttribute("stroke-width", "1.4");
        svg.appendChild(path);
      },
      rect: function (x, y, w, h, fill, stroke, dashes) {
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("x", x.toFixed(1)); r.setAttribute("y", y.toFixed(1));
        r.setAttribute("width", String(w)); r.setAttribute("height", String(h));
        r.setAttribute("fill", fill); r.setAttribute("stroke", stroke); r.setAttribute("stroke-width", "1.5");
        if (dashes) r.setAttribute("stroke-dasharray", dashes.join(" "));
        svg.appendChild(r);
      },
      text: function (x, y, t, colour) {
        var tx = document.createElementNS(NS, "text");
        tx.setAttribute("x", x.toFixed(1)); tx.setAttribute("y", y.toFixed(1));
        tx.setAttribute("text-anchor", "middle"); tx.setAttribute("fill", colour);
        tx.textContent = t;
        svg.appendChild(tx);
      }
    });
    return new XMLSerializer().serializeToString(svg);
  }
  bomay.svgOf = function (name) { return svgOfTree(bomay.charts[name]); };

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function downloadPng(name, button) {
    var entry = bomay.charts[name];
    var filename = button.getAttribute("data-filename") || "chart.png";
    if (!entry) return;
    if (entry.tree) { pngOfTree(entry, filename); return; }
    pngOfNetwork(entry, document.querySelector('[data-chart="' + name + '"]'), filename);
  }

  /* The whole of a chart laid out by the server (lineage): vis-network draws it once more
     on its own canvas, resized to the chart's extent at up to 2 px per unit, which is
     captured before the view the reader had is put back. */
  function pngOfNetwork(entry, container, filename) {
    var network = entry.network, ids = entry.nodes.getIds();
    if (!ids.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return;
      x0 = Math.min(x0, b.left); y0 = Math.min(y0, b.top); x1 = Math.max(x1, b.right); y1 = Math.max(y1, b.bottom);
    });
    x0 -= 40; x1 += 40; y0 -= 70; y1 += 40;  // room for the date axis drawn above the nodes
    var w = x1 - x0, h = y1 - y0, ratio = window.devicePixelRatio || 1;
    var scale = Math.min(2, 16000 / w, 16000 / h, Math.sqrt(60e6 / (w * h)));
    var cssW = Math.ceil(w * scale / ratio), cssH = Math.ceil(h * scale / ratio);
    var view = { position: network.getViewPosition(), scale: network.getScale() };
    // CSSOM properties, not a style attribute: the CSP forbids inline style attributes.
    var props = { flex: "none", maxWidth: "none", minHeight: "0", width: cssW + "px", height: cssH + "px" };
    var saved = {};
    Object.keys(props).forEach(function (k) { saved[k] = container.style[k]; container.style[k] = props[k]; });
    network.setSize(cssW + "px", cssH + "px");
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale / ratio, animation: false });
    network.redraw();
    var drawn = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = drawn.width; out.height = drawn.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(drawn, 0, 0);
    Object.keys(saved).forEach(function (k) { container.style[k] = saved[k]; });
    network.setSize("100%", "100%");
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    network.redraw();
    out.toBlob(function (blob) { if (blob) save(blob, filename); }, "image/png");
  }

  /* ---- search: the landing page, and "find in this chart" --------------------------- */
  function searchUnits(endpoint, query, at) {
    var url = endpoint + (endpoint.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query)
              + (at ? "&at=" + encodeURIComponent(at) : "");
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) {
        var items = Array.isArray(body) ? body : (body && (body.results || body.items || body.units)) || [];
        return items.map(function (it) { return it && it.unit ? it.unit : it; })
                    .filter(function (u) { return u && u.id !== undefined; });
      });
  }

  function setupSearch() {
    var form = document.getElementById("bv-search");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var list = document.getElementById("bv-search-results");
    var status = document.getElementById("bv-search-status");
    var endpoint = form.getAttribute("data-api");
    var vizPrefix = form.getAttribute("data-viz") || "/viz/units/";
    var suffix = form.getAttribute("data-query") || "";
    var kinds = (bomay.data && bomay.data.kinds) || {};
    var timer = null, serial = 0;
    function render(units, query) {
      while (list.firstChild) list.removeChild(list.firstChild);
      units.forEach(function (u) {
        var li = el("li");
        var a = el("a", null, u.name || u.id);
        a.href = vizPrefix + encodeURIComponent(String(u.id)) + suffix;
        li.appendChild(a);
        var extra = [u.name_en, kinds[u.kind] || u.kind].filter(Boolean).join(" · ");
        if (extra) li.appendChild(el("span", "bv-muted", " " + extra));
        list.appendChild(li);
      });
      status.textContent = units.length ? num(units.length) + " " + (S.results_for || "result(s) for") + " \u201c" + query + "\u201d"
                                        : (S.no_match || "No unit matches") + " \u201c" + query + "\u201d";
    }
    function run() {
      var query = input.value.trim();
      if (!query) { render([], ""); status.textContent = ""; return; }
      var mine = ++serial;
      searchUnits(endpoint, query, null)
        .then(function (units) { if (mine === serial) render(units, query); })
        .catch(function () { if (mine === serial) status.textContent = S.load_failed || "Search failed"; });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  }

  /* Find a unit and open the path to it. */
  function setupFind() {
    var form = document.querySelector("form[data-find]");
    if (!form) return;
    var name = form.getAttribute("data-find");
    var input = form.querySelector("input");
    var list = form.parentNode.querySelector("[data-find-results]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entry = bomay.charts[name], query = input.value.trim();
      if (!entry || !entry.tree || !query) return;
      while (list.firstChild) list.removeChild(list.firstChild);
      var api = bomay.data.api;
      var local = Object.keys(entry.tree.byId).filter(function (id) {
        var n = entry.tree.byId[id];
        return (n.label + " " + id).toLowerCase().indexOf(query.toLowerCase()) >= 0;
      }).map(function (id) { return { id: id, name: entry.tree.byId[id].info[0][1] }; });
      var found = api && bomay.mode === "served" ? searchUnits(api.search, query, api.at).catch(function () { return local; })
                                                  : Promise.resolve(local);
      found.then(function (units) {
        units = units.slice(0, 8);
        if (!units.length) { list.appendChild(el("li", "bv-muted", (S.not_found_in_chart || "Nothing found for") + " \u201c" + query + "\u201d")); return; }
        units.forEach(function (u) {
          var li = el("li"), b = el("button", "bv-linkish", u.name || u.id);
          b.type = "button";
          b.addEventListener("click", function () { reveal(entry, u.id); });
          li.appendChild(b);
          list.appendChild(li);
        });
      });
    });
  }

  function reveal(entry, id) {
    var tree = entry.tree, api = bomay.data.api;
    var chain = tree.byId[id] ? Promise.resolve(pathOf(tree, id)) :
      fetch(api.units + encodeURIComponent(id) + "/ancestors" + (api.at ? "?at=" + encodeURIComponent(api.at) : ""),
            { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (body) { return (body.items || []).map(function (u) { return u.id; }).reverse(); });
    return chain.then(function (path) {
      var start = path.indexOf(tree.root);
      if (start < 0) { setStatus(entry, S.not_found_in_chart + " \u201c" + id + "\u201d"); return; }
      path = path.slice(start);
      var step = Promise.resolve();
      path.forEach(function (pid) {
        step = step.then(function () {
          return tree.loaded(pid) ? null : fetchChildren(entry, pid);
        }).then(function () { tree.expanded[pid] = true; if (tree.displayKids(pid).more) tree.shownMore[pid] = true; });
      });
      return step.then(function () {
        sync(entry);
        if (!tree.pos[id]) return;
        entry.network.selectNodes([id]);
        entry.network.moveTo({ position: tree.pos[id], scale: Math.max(MIN_SCALE, entry.network.getScale()), animation: false });
        showDetails(entry, { id: id });
      });
    }).catch(function () { setStatus(entry, S.load_failed); });
  }
  function pathOf(tree, id) {
    var out = [], n = tree.byId[id];
    while (n && n.parent !== null && n.parent !== undefined) { out.unshift(n.parent); n = tree.byId[n.parent]; }
    return out;
  }
  bomay.reveal = function (name, id) { return reveal(bomay.charts[name], id); };
  bomay.expand = function (name, id) { return expand(bomay.charts[name], id, true); };

  /* ---- date controls: dd/mm/yyyy text, a slider over the dates the structure changes -- */
  function setupDates() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-dateform]"), function (form) {
      var text = form.querySelector("input[data-dmy]");
      var slider = form.querySelector("input[type=range]");
      var shown = form.querySelector("[data-slider-date]");
      var dates = (bomay.data.dates || []);
      function submit() {
        if (!isoOf(text.value)) { text.setCustomValidity(S.date_hint || "dd/mm/yyyy"); text.reportValidity(); return; }
        text.setCustomValidity("");
        form.requestSubmit();
      }
      form.addEventListener("formdata", function (event) {
        var iso = isoOf(event.formData.get("at"));
        if (iso) event.formData.set("at", iso);
        Array.from(event.formData.keys()).forEach(function (key) {
          if (event.formData.get(key) === "") event.formData.delete(key);
        });
        event.formData.delete("slider");
      });
      form.addEventListener("submit", function (event) {
        if (!isoOf(text.value)) { event.preventDefault(); text.setCustomValidity(S.date_hint || "dd/mm/yyyy"); text.reportValidity(); }
      });
      text.addEventListener("change", submit);
      text.addEventListener("input", function () { text.setCustomValidity(""); });
      if (slider && dates.length) {
        slider.addEventListener("input", function () { shown.textContent = dmy(dates[+slider.value]); });
        slider.addEventListener("change", function () { text.value = dmy(dates[+slider.value]); submit(); });
      }
    });
  }

  function init() {
    var data = readData();
    bomay.mode = document.body.getAttribute("data-mode") || "served";
    bomay.data = data;
    S = data.strings || {};
    LANG = data.lang || "vi";
    var containers = document.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(containers, function (container) {
      var name = container.getAttribute("data-chart");
      if (data.charts && data.charts[name]) draw(container, name, data.charts[name]);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-png]"), function (button) {
      button.addEventListener("click", function () { downloadPng(button.getAttribute("data-png"), button); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-svg]"), function (button) {
      button.addEventListener("click", function () {
        var entry = bomay.charts[button.getAttribute("data-svg")];
        if (entry && entry.tree) save(new Blob([svgOfTree(entry)], { type: "image/svg+xml" }), button.getAttribute("data-filename") || "chart.svg");
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-fit]"), function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-fit"), entry = bomay.charts[name];
        var container = document.querySelector('[data-chart="' + name + '"]');
        if (!entry) return;
        if (entry.tree) firstView(entry, container); else fitAll(entry.network, entry.chart, container);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-cross]"), function (box) {
      box.addEventListener("change", function () {
        var entry = bomay.charts[box.getAttribute("data-cross")];
        if (!entry) return;
        entry.showCross = box.checked;
        if (entry.tree) sync(entry);
      });
    });
    /* A timeline wider than its box (1,190 px at 768) starts at its latest dates: "hôm
       nay" and the latest year were off screen, on the right. Scrolled to the end unless
       that hides the latest event, which then stays at the left edge. */
    Array.prototype.forEach.call(document.querySelectorAll(".bv-timeline"), function (box) {
      var left = box.scrollWidth - box.clientWidth;
      if (left <= 0) return;
      var latest = -Infinity;
      Array.prototype.forEach.call(box.querySelectorAll(".bv-tl-event"), function (mark) {
        latest = Math.max(latest, mark.getBBox().x);
      });
      if (latest - 16 < left) left = Math.max(0, latest - 16);
      box.scrollLeft = left;
    });
    setupDates();
    setupSearch();
    setupFind();
    if (!Object.keys(bomay.charts).length) { bomay.ready = true; document.body.setAttribute("data-ready", "1"); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
