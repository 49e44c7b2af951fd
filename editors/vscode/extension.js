// Starts `tally lsp` for .tally rule files and YAML/JSON data files.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("tally");
  const command = config.get("path", "tally");
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "tally",
    "Tally",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "tally" },
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "json" },
      ],
      initializationOptions: { rules: config.get("rules", []) },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
