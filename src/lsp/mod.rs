//! `tally lsp`: a language server over stdio for rule files (diagnostics as
//! you type, hover, go to definition, completion, formatting) and data files
//! (the findings of the workspace's rules).
//!
//! Rule text comes from the editor's buffers first, then from disk and the
//! bundled library ([`documents::OverlayStore`]).

mod completion;
mod data_findings;
pub mod data_keys;
mod definition;
mod diagnostics;
pub mod documents;
mod formatting;
mod hover;
mod symbols;
mod transport;

use std::error::Error;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, Formatting, GotoDefinition, HoverRequest, Request as _};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, Diagnostic, DocumentFormattingParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, MarkupContent, MarkupKind, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::Deserialize;

use documents::{path_of, Documents, OverlayStore};
use symbols::Analysis;

/// Data files whose findings are shown.
pub const DATA_EXTENSIONS: &[&str] = &[".yaml", ".yml", ".json"];

/// What the client may pass as `initializationOptions`.
#[derive(Debug, Default, Deserialize)]
struct Options {
    /// Rule files or folders checked against open data files, relative to the
    /// workspace root; `@…` names the bundled library. Default: `["@"]`.
    #[serde(default)]
    rules: Vec<String>,
}

struct Server {
    connection: Connection,
    documents: Documents,
    /// The workspace's rules, as loader paths.
    rules: Vec<String>,
}

/// Serves one client on stdin/stdout until it shuts down.
pub fn run() -> Result<(), Box<dyn Error + Sync + Send>> {
    let (connection, transport) = transport::stdio();
    match session(connection) {
        // The writer ends when the connection's sender is dropped.
        Ok(()) => Ok(transport.finish()?),
        // Input the reader refused ends the session: say why, not only that
        // the channel closed.
        Err(e) => Err(transport.failure().map_or(e, Into::into)),
    }
}

/// Initializes and serves until the client shuts down or goes away.
fn session(connection: Connection) -> Result<(), Box<dyn Error + Sync + Send>> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..Default::default()
    };
    let params = connection.initialize(serde_json::to_value(capabilities)?)?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let root = workspace_root(&params);
    let options: Options = params
        .initialization_options
        .map(serde_json::from_value)
        .transpose()?
        .unwrap_or_default();
    let rules = if options.rules.is_empty() {
        vec![crate::resolve::BundledStore::ROOT.to_owned()]
    } else {
        options
            .rules
            .into_iter()
            .map(|r| match &root {
                Some(root) if !r.starts_with('@') && !std::path::Path::new(&r).is_absolute() => format!("{root}/{r}"),
                _ => r,
            })
            .collect()
    };
    let mut server = Server {
        connection,
        documents: Documents::default(),
        rules,
    };
    server.serve()
}

fn workspace_root(params: &InitializeParams) -> Option<String> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return path_of(&folder.uri);
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(path_of)
}

impl Server {
    fn serve(&mut self) -> Result<(), Box<dyn Error + Sync + Send>> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    let response = self.answer(request);
                    self.connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(notification) => self.notice(notification)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => {
                self.with_params(request, |s, p: HoverParams| s.hover(p.text_document_position_params))
            }
            GotoDefinition::METHOD => self.with_params(request, |s, p: GotoDefinitionParams| {
                s.definition(p.text_document_position_params)
            }),
            Completion::METHOD => {
                self.with_params(request, |s, p: CompletionParams| s.complete(p.text_document_position))
            }
            Formatting::METHOD => self.with_params(request, |s, p: DocumentFormattingParams| {
                let text = path_of(&p.text_document.uri).and_then(|path| s.documents.text(&path).map(str::to_owned));
                serde_json::to_value(text.and_then(|t| formatting::format(&t)))
            }),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unsupported: {}", request.method),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }

    fn with_params<P: serde::de::DeserializeOwned>(
        &self,
        request: Request,
        f: impl FnOnce(&Self, P) -> serde_json::Result<serde_json::Value>,
    ) -> serde_json::Result<serde_json::Value> {
        let params: P = serde_json::from_value(request.params)?;
        f(self, params)
    }

    /// The open rule file at a position: its path, text, analysis and offset.
    fn at(&self, p: &TextDocumentPositionParams) -> Option<(String, &str, Analysis, usize)> {
        let path = path_of(&p.text_document.uri)?;
        let text = self.documents.text(&path)?;
        let analysis = Analysis::load(&OverlayStore(&self.documents), &path);
        let offset = documents::offset(text, p.position);
        Some((path, text, analysis, offset))
    }

    fn hover(&self, p: TextDocumentPositionParams) -> serde_json::Result<serde_json::Value> {
        let hover = self.at(&p).and_then(|(_, text, analysis, offset)| {
            hover::hover(&analysis, &self.documents, text, offset).map(|value| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }),
                range: None,
            })
        });
        serde_json::to_value(hover)
    }

    fn definition(&self, p: TextDocumentPositionParams) -> serde_json::Result<serde_json::Value> {
        let location = self
            .at(&p)
            .and_then(|(_, text, analysis, offset)| definition::definition(&analysis, text, offset));
        serde_json::to_value(location.map(GotoDefinitionResponse::Scalar))
    }

    fn complete(&self, p: TextDocumentPositionParams) -> serde_json::Result<serde_json::Value> {
        let items = self
            .at(&p)
            .map(|(_, text, analysis, offset)| completion::complete(&analysis, &self.documents, text, offset));
        serde_json::to_value(items.map(CompletionResponse::Array))
    }

    fn notice(&mut self, notification: Notification) -> Result<(), Box<dyn Error + Sync + Send>> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(notification.params)?;
                self.changed(p.text_document.uri, p.text_document.text)?;
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(notification.params)?;
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.changed(p.text_document.uri, change.text)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(notification.params)?;
                if let Some(path) = path_of(&p.text_document.uri) {
                    self.documents.close(&path);
                }
                self.publish(p.text_document.uri, Vec::new())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A document opened or edited: its diagnostics again, and when a rule
    /// file changed, those of the open data files.
    fn changed(&mut self, uri: Uri, text: String) -> Result<(), Box<dyn Error + Sync + Send>> {
        let Some(path) = path_of(&uri) else { return Ok(()) };
        self.documents.set(path.clone(), text);
        if path.ends_with(".tally") {
            self.check_rule_file(uri, &path)?;
            let data: Vec<String> = self
                .documents
                .with_extension(DATA_EXTENSIONS)
                .map(|(p, _)| p.to_owned())
                .collect();
            for data_path in data {
                if let Some(uri) = documents::uri_of(&data_path) {
                    self.check_data_file(uri, &data_path)?;
                }
            }
        } else if DATA_EXTENSIONS.iter().any(|e| path.ends_with(e)) {
            self.check_data_file(uri, &path)?;
        }
        Ok(())
    }

    fn check_rule_file(&self, uri: Uri, path: &str) -> Result<(), Box<dyn Error + Sync + Send>> {
        let text = self.documents.text(path).unwrap_or_default();
        let diagnostics = diagnostics::of_rule_file(&OverlayStore(&self.documents), path, text);
        self.publish(uri, diagnostics)
    }

    fn check_data_file(&self, uri: Uri, path: &str) -> Result<(), Box<dyn Error + Sync + Send>> {
        let text = self.documents.text(path).unwrap_or_default();
        let diagnostics = data_findings::of_data_file(&OverlayStore(&self.documents), &self.rules, path, text);
        self.publish(uri, diagnostics)
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>) -> Result<(), Box<dyn Error + Sync + Send>> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        self.connection.sender.send(Message::Notification(notification))?;
        Ok(())
    }
}
