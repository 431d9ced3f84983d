extension HTMLReport {
    /// The cell explorer of a study report, plain JavaScript run when the page loads: the URL fragment
    /// (`#gamma=1`, `#gamma=1&lambda=20`; names and values as on the command line, in any order)
    /// selects the cell whose axis values equal it, and `selected` shows that cell's rows from the
    /// `cell-data` block (text only, set through `textContent`); an unknown fragment is named there
    /// with the cells that exist; no fragment shows the hint. Clicking a `data-cell` element (a figure
    /// target or a cell link) selects its cell and writes its fragment to the URL
    /// (`history.replaceState`, else `location.hash`), so the link reproduces the view.
    static let script = """
    (function () {
      'use strict';
      var data = JSON.parse(document.getElementById('cell-data').textContent);
      var selected = document.getElementById('selected');

      function parseFragment(text) {
        var pairs = {};
        var parts = text.split('&');
        for (var i = 0; i !== parts.length; i++) {
          if (parts[i] === '') { continue; }
          var eq = parts[i].indexOf('=');
          if (eq === -1) { return null; }
          try {
            pairs[decodeURIComponent(parts[i].slice(0, eq))] = decodeURIComponent(parts[i].slice(eq + 1));
          } catch (e) {
            return null;
          }
        }
        return pairs;
      }

      function find(pairs) {
        var names = Object.keys(pairs);
        for (var c = 0; c !== data.cells.length; c++) {
          var cell = data.cells[c];
          if (cell.key.length !== names.length) { continue; }
          var same = true;
          for (var k = 0; k !== cell.key.length; k++) {
            if (pairs[cell.key[k][0]] !== cell.key[k][1]) { same = false; break; }
          }
          if (same) { return cell; }
        }
        return null;
      }

      function mark(index) {
        var nodes = document.querySelectorAll('[data-cell]');
        for (var i = 0; i !== nodes.length; i++) {
          nodes[i].classList.toggle('chosen', nodes[i].getAttribute('data-cell') === String(index));
        }
      }

      function message(text) {
        selected.textContent = '';
        var p = document.createElement('p');
        p.textContent = text;
        selected.appendChild(p);
        mark(-1);
      }

      function show(cell) {
        selected.textContent = '';
        var heading = document.createElement('h3');
        heading.textContent = 'Selected cell: ' + cell.label;
        selected.appendChild(heading);
        var table = document.createElement('table');
        var head = table.createTHead().insertRow();
        data.headers.forEach(function (text) {
          var th = document.createElement('th');
          th.textContent = text;
          head.appendChild(th);
        });
        var body = table.createTBody();
        cell.rows.forEach(function (row) {
          var tr = body.insertRow();
          row.forEach(function (text, column) {
            var td = tr.insertCell();
            td.textContent = text;
            if (column !== 0) { td.className = 'num'; }
          });
        });
        selected.appendChild(table);
        mark(cell.index);
      }

      function fromFragment() {
        var text = window.location.hash.replace(/^#/, '');
        if (text === '') { message(data.hint); return; }
        var pairs = parseFragment(text);
        var cell = pairs ? find(pairs) : null;
        if (cell) { show(cell); return; }
        var shown = text;
        try { shown = decodeURIComponent(text); } catch (e) { shown = text; }
        var names = data.cells.map(function (c) { return c.label; }).join('; ');
        message('No cell matches #' + shown + ' (names: ' + data.keys.join(', ') + '). The cells: ' + names + '. ' + data.hint);
      }

      function choose(index) {
        var cell = data.cells[index];
        if (!cell) { return; }
        var fragment = '#' + cell.fragment;
        try {
          window.history.replaceState(null, '', fragment);
        } catch (e) {
          window.location.hash = fragment;
          return;
        }
        show(cell);
      }

      document.addEventListener('click', function (event) {
        var node = event.target && event.target.closest ? event.target.closest('[data-cell]') : null;
        if (!node) { return; }
        event.preventDefault();
        choose(Number(node.getAttribute('data-cell')));
      });
      window.addEventListener('hashchange', fromFragment);
      fromFragment();
    })();
    """
}
