// The API explorer: GraphiQL against this server's /graphql, with the README's example
// queries as its first tabs and in a panel of their own. React, ReactDOM and GraphiQL are
// the globals of the vendored UMD builds (assets/); nothing comes from another origin.
(function () {
  'use strict';
  var h = React.createElement;
  var examples = JSON.parse(document.getElementById('examples').textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });

  // openExample opens example i in a new tab; Opener sets it from within GraphiQL, whose
  // editors it needs.
  var openExample = function () {};

  // operationNames lists the names of the operations of a query, in order.
  function operationNames(query) {
    var names = [], re = /^\s*(?:query|mutation|subscription)\s+(\w+)/gm, m;
    while ((m = re.exec(query))) names.push(m[1]);
    return names;
  }

  function Opener() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    // GraphiQL reads the operation's name from the editor after a pause: when a tab is
    // chosen, name its operation at once, so that running it then does not send the last
    // tab's name.
    React.useEffect(function () {
      var q = editor.queryEditor;
      if (!q) return;
      var names = operationNames(q.getValue());
      if (names.indexOf(q.operationName) < 0) editor.setOperationName(names.length ? names[0] : null);
    }, [editor.queryEditor, editor.activeTabIndex, editor.tabs.length]);
    openExample = function (i) {
      editor.addTab();
      // The new tab becomes active once React has rendered it.
      setTimeout(function () {
        if (!editor.queryEditor) return;
        editor.queryEditor.setValue(examples[i].query);
        editor.setOperationName(operationNames(examples[i].query)[0] || null);
      }, 0);
    };
    return null;
  }

  // The examples panel of GraphiQL's sidebar: each example, with what it asks, opens in a
  // tab of its own.
  function ExamplesPanel() {
    return h('div', { className: 'explorer-panel' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
      h('p', null, 'The README\'s example queries. Each opens in a new tab; run it with the ▶ button or Ctrl+Enter.'),
      h('ul', null, examples.map(function (x, i) {
        return h('li', { key: i },
          h('button', { type: 'button', className: 'explorer-open', 'data-example': i, onClick: function () { openExample(i); } }, x.name),
          h('p', null, x.description));
      })));
  }

  function ExamplesIcon() {
    return h('svg', { viewBox: '0 0 24 24', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M5 4h14v16H5z M8 8h8 M8 12h8 M8 16h5' }));
  }

  var examplesPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPanel };

  // The header's buttons open an example too.
  document.querySelectorAll('.explorer-examples button[data-example]').forEach(function (b) {
    b.addEventListener('click', function () { openExample(Number(b.dataset.example)); });
  });

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(h(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: examples.map(function (x) { return { query: x.query }; }),
    plugins: [examplesPlugin],
    visiblePlugin: examplesPlugin,
    defaultEditorToolsVisibility: false,
    isHeadersEditorEnabled: false,
    shouldPersistHeaders: false
  }, h(GraphiQL.Footer, null, h(Opener))));
})();
