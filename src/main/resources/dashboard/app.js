// Phoenix ops dashboard: plain JS, no build step, no external resources.
// Data: GET /api/snapshot once, then server-sent events (/api/events, event "snapshot").
(function () {
  'use strict';
  var HISTORY = 600;            // points kept per symbol for the charts
  var history = {};             // symbol -> [{t, pnl, pos}]
  var updates = 0;
  var latencyStage = null;
  var lastSnapshot = null;

  function $(id) { return document.getElementById(id); }
  function num(v) { return typeof v === 'number' ? v : Number(v); }
  function fmt(v, digits) {
    var n = num(v);
    if (v === null || v === undefined || isNaN(n)) return '–';
    return n.toFixed(digits === undefined ? 2 : digits);
  }
  function micros(nanos) { return fmt(num(nanos) / 1000, 1); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function cellRow(cells) { return '<tr>' + cells.map(function (c) { return '<td>' + c + '</td>'; }).join('') + '</tr>'; }
  function idPart(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, '_'); }

  function side(qty, price, bid) {
    if (price === null || price === undefined || isNaN(num(price))) return '–';
    return bid ? fmt(qty, 3) + ' @ ' + fmt(price, 2) : fmt(price, 2) + ' × ' + fmt(qty, 3);
  }

  function symbolCard(s) {
    var id = 'sym-' + idPart(s.symbol);
    var el = $(id);
    if (!el) {
      el = document.createElement('div');
      el.className = 'card';
      el.id = id;
      el.innerHTML =
        '<h2>' + esc(s.symbol) + ' <span class="muted" id="' + id + '-state"></span></h2>' +
        '<table>' +
        '<tr><th></th><th class="bid">bid</th><th class="ask">ask</th></tr>' +
        '<tr><td>book</td><td class="bid" id="' + id + '-bid"></td><td class="ask" id="' + id + '-ask"></td></tr>' +
        '<tr><td>ours</td><td class="bid" id="' + id + '-ourbid"></td><td class="ask" id="' + id + '-ourask"></td></tr>' +
        '<tr><td>position</td><td colspan="2" id="' + id + '-position"></td></tr>' +
        '<tr><td>realised PnL</td><td colspan="2" id="' + id + '-rpnl"></td></tr>' +
        '<tr><td>unrealised PnL</td><td colspan="2" id="' + id + '-upnl"></td></tr>' +
        '<tr><td>fees paid</td><td colspan="2" id="' + id + '-fees"></td></tr>' +
        '<tr><td>net PnL after fees</td><td colspan="2" id="' + id + '-net"></td></tr>' +
        '</table>' +
        '<canvas id="' + id + '-chart" width="320" height="120"></canvas>' +
        '<div class="muted"><span class="bid">net PnL</span> (left scale) and <span style="color:#539bf5">position</span> (right scale) over time</div>';
      $('symbols').appendChild(el);
    }
    $(id + '-state').textContent = (s.quoting ? 'quoting' : 'not quoting') + (s.bookValid ? '' : ' · book invalid');
    $(id + '-bid').textContent = side(s.bestBidQty, s.bestBid, true);
    $(id + '-ask').textContent = side(s.bestAskQty, s.bestAsk, false);
    $(id + '-ourbid').textContent = side(s.ourBidQty, s.ourBid, true);
    $(id + '-ourask').textContent = side(s.ourAskQty, s.ourAsk, false);
    $(id + '-position').textContent = fmt(s.position, 4);
    $(id + '-rpnl').textContent = fmt(s.realizedPnl, 2);
    $(id + '-upnl').textContent = fmt(s.unrealizedPnl, 2);
    $(id + '-fees').textContent = fmt(s.fees, 4);
    $(id + '-net').textContent = fmt(s.netPnl, 4);
    var h = history[s.symbol] || (history[s.symbol] = []);
    h.push({t: Date.now(), pnl: num(s.netPnl), pos: num(s.position), m1: num(s.markout1sBps), m10: num(s.markout10sBps)});
    if (h.length > HISTORY) h.shift();
    drawChart($(id + '-chart'), h);
  }

  // adverse selection: one row per symbol, and each symbol's markouts over time
  function renderEdge(symbols) {
    $('edge').tBodies[0].innerHTML = symbols.map(function (s) {
      var adaptive = num(s.adaptiveBidBps) > 0 || num(s.adaptiveAskBps) > 0
        ? '+' + fmt(s.adaptiveBidBps) + ' / +' + fmt(s.adaptiveAskBps) : '–';
      return '<tr id="edge-' + idPart(s.symbol) + '">' + [esc(s.symbol), fmt(num(s.makerFeeRate) * 1e4, 2), fmt(s.feeFloorBps, 2),
        fmt(s.fees, 4), fmt(s.netPnl, 4), fmt(s.markout1sBps, 2), fmt(s.markout10sBps, 2), s.markoutFills, adaptive]
        .map(function (c) { return '<td>' + c + '</td>'; }).join('') + '</tr>';
    }).join('');
    var canvas = $('edge-chart');
    if (!canvas.getContext) return;
    var ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = '10px sans-serif';
    var colors = ['#4cc38a', '#539bf5', '#e5534b', '#c69026', '#986ee2'];
    symbols.forEach(function (s, i) {
      var h = history[s.symbol] || [];
      drawSeries(ctx, h, 'm1', colors[(2 * i) % colors.length], canvas.width, canvas.height, false);
      drawSeries(ctx, h, 'm10', colors[(2 * i + 1) % colors.length], canvas.width, canvas.height, true);
    });
    $('edge-legend').innerHTML = symbols.map(function (s, i) {
      return esc(s.symbol) + ': <span style="color:' + colors[(2 * i) % colors.length] + '">1 s</span> (left) / <span style="color:' +
        colors[(2 * i + 1) % colors.length] + '">10 s</span> (right)';
    }).join(' · ');
  }

  function drawSeries(ctx, pts, key, color, w, hgt, labelRight) {
    var lo = Infinity, hi = -Infinity;
    pts.forEach(function (p) { var v = p[key]; if (!isNaN(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    if (lo === Infinity) return;
    if (hi === lo) { hi += 1; lo -= 1; }
    ctx.strokeStyle = color;
    ctx.beginPath();
    pts.forEach(function (p, i) {
      var x = pts.length === 1 ? w : i * (w - 1) / (pts.length - 1);
      var y = hgt - 4 - (p[key] - lo) * (hgt - 8) / (hi - lo);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.textAlign = labelRight ? 'right' : 'left';
    var x = labelRight ? w - 3 : 3;
    ctx.fillText(fmt(hi, key === 'pos' ? 4 : 2), x, 11);
    ctx.fillText(fmt(lo, key === 'pos' ? 4 : 2), x, hgt - 3);
  }

  function drawChart(canvas, pts) {
    if (!canvas.getContext) return;
    var ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = '10px sans-serif';
    drawSeries(ctx, pts, 'pos', '#539bf5', canvas.width, canvas.height, true);
    drawSeries(ctx, pts, 'pnl', '#4cc38a', canvas.width, canvas.height, false);
  }

  function renderLatency(stages) {
    var body = $('latency').tBodies[0];
    body.innerHTML = stages.map(function (s) {
      return cellRow([esc(s.stage), s.count, micros(s.p50Nanos), micros(s.p90Nanos), micros(s.p99Nanos),
        micros(s.p999Nanos), micros(s.maxNanos)]);
    }).join('');
    var select = $('latency-stage');
    if (select.options.length === 0) {
      stages.forEach(function (s) { select.add(new Option(s.stage, s.stage)); });
    }
    latencyStage = select.value || (stages[0] && stages[0].stage);
    var stage = stages.filter(function (s) { return s.stage === latencyStage; })[0];
    drawHistogram($('latency-hist'), stage ? stage.buckets : []);
  }

  function drawHistogram(svg, buckets) {
    var w = 560, h = 140, n = buckets.length;
    var max = 0;
    buckets.forEach(function (b) { max = Math.max(max, b.count); });
    var parts = [];
    if (n === 0 || max === 0) {
      parts.push('<text x="10" y="70" fill="#8a93a0">no samples</text>');
    } else {
      var bw = (w - 10) / n;
      buckets.forEach(function (b, i) {
        var bh = Math.max(1, b.count * (h - 30) / max);
        parts.push('<rect x="' + (5 + i * bw) + '" y="' + (h - 18 - bh) + '" width="' + Math.max(1, bw - 2) +
          '" height="' + bh + '" fill="#539bf5"><title>≤ ' + micros(b.upToNanos) + ' µs: ' + b.count + '</title></rect>');
        if (i % Math.ceil(n / 8) === 0 || i === n - 1) {
          parts.push('<text x="' + (5 + i * bw) + '" y="' + (h - 4) + '" fill="#8a93a0" font-size="10">' +
            micros(b.upToNanos) + '</text>');
        }
      });
    }
    svg.innerHTML = parts.join('');
  }

  function renderRisk(r) {
    if (!r) return;
    var rows = [
      ['daily PnL', fmt(r.dailyPnl)], ['daily loss limit', fmt(r.dailyLossLimit)],
      ['gross notional', fmt(r.grossNotional)], ['max gross notional', fmt(r.maxGrossNotional)],
      ['order budget used', fmt(num(r.orderBudgetUsed) * 100, 1) + ' %'], ['open orders', r.openOrders],
      ['consecutive rejects', r.consecutiveRejects]
    ];
    Object.keys(r.rejectsByCode || {}).forEach(function (k) { rows.push(['rejects ' + esc(k), r.rejectsByCode[k]]); });
    $('risk').innerHTML = rows.map(cellRow).join('');
  }

  function renderCluster(c) {
    if (!c) return;
    $('cluster-members').tBodies[0].innerHTML = (c.members || []).map(function (m) {
      var name = esc(m.address) + (m.address === c.leader ? ' (leader)' : '') + (m.address === c.self ? ' (this node)' : '');
      return cellRow([name, esc(m.status), m.reachable ? 'yes' : '<span class="bad">no</span>']);
    }).join('');
    var units = c.units || {};
    $('cluster-units').tBodies[0].innerHTML = Object.keys(units).map(function (u) {
      var where = units[u].length ? units[u].map(esc).join(', ') : '<span class="bad">nowhere</span>';
      return cellRow([esc(u), where]);
    }).join('');
  }

  function renderKill(k) {
    if (!k) return;
    $('kill').className = 'kill ' + (k.active ? 'on' : 'off');
    $('kill-state').textContent = k.active ? 'TRIPPED' : 'off';
    $('kill-reason').textContent = k.active ? k.reason : '';
  }

  function render(snap) {
    lastSnapshot = snap;
    updates += 1;
    $('updates').textContent = updates;
    var st = snap.status;
    if (st) {
      $('node').textContent = st.node + ' · up ' + Math.round(num(st.uptimeMillis) / 1000) + ' s';
      renderKill(st.killSwitch);
      (st.symbols || []).forEach(symbolCard);
      renderEdge(st.symbols || []);
      $('feeds').tBodies[0].innerHTML = (st.feeds || []).map(function (f) {
        return cellRow([esc(f.name), f.connected ? 'yes' : '<span class="bad">no</span>', f.events, f.gaps,
          f.reconnects, fmt(f.lagSeconds, 3)]);
      }).join('');
    }
    renderRisk(snap.risk);
    if (snap.latency) renderLatency(snap.latency);
    renderCluster(snap.cluster);
    var actors = snap.actors || {};
    $('actors').tBodies[0].innerHTML = Object.keys(actors).map(function (a) {
      return cellRow([esc(a), actors[a] > 0 ? '<span class="bad">' + actors[a] + '</span>' : '0']);
    }).join('');
    $('orders').tBodies[0].innerHTML = (snap.orders || []).map(function (o) {
      return cellRow([esc(o.symbol), esc(o.clientOrderId), esc(o.side), fmt(o.price), fmt(o.quantity, 4),
        fmt(o.filledQuantity, 4), esc(o.state)]);
    }).join('');
    var errs = snap.errors || {};
    $('errors').textContent = Object.keys(errs).map(function (k) { return k + ': ' + errs[k]; }).join(' · ');
  }

  function control(path) {
    var token = $('token').value;
    var body = path === 'kill' ? JSON.stringify({reason: $('reason').value || 'dashboard'}) : '';
    fetch('/api/' + path, {method: 'POST', headers: {'Authorization': 'Bearer ' + token,
      'Content-Type': 'application/json'}, body: body})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (p) {
        $('control-result').textContent = p[0] === 200 ? path + ' ok' : path + ' failed: ' + (p[1].detail || p[0]);
        if (p[0] === 200) renderKill(p[1]);
      })
      .catch(function (e) { $('control-result').textContent = path + ' failed: ' + e; });
  }

  $('btn-kill').addEventListener('click', function () { control('kill'); });
  $('btn-resume').addEventListener('click', function () { control('resume'); });
  $('latency-stage').addEventListener('change', function () { if (lastSnapshot) renderLatency(lastSnapshot.latency); });

  fetch('/api/snapshot').then(function (r) { return r.json(); }).then(render)
    .catch(function (e) { $('errors').textContent = 'snapshot failed: ' + e; });

  if (window.EventSource) {
    var es = new EventSource('/api/events');
    es.addEventListener('snapshot', function (e) { render(JSON.parse(e.data)); });
    es.onopen = function () { $('conn').textContent = 'live'; };
    es.onerror = function () { $('conn').textContent = 'reconnecting'; };
  }
})();
