//! Responses that are streams of events (`text/event-stream`), sent with
//! axum's server-sent events as the implementation yields them.

use std::convert::Infallible;

use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use serde::Serialize;

use super::{append_headers, internal};
use crate::models::events::{Event, EventStream};

/// A response of events whose data is text.
pub fn text_events(status: u16, events: EventStream<String>, headers: Vec<(&'static str, String)>) -> Response {
    respond(status, events, |data| Ok(data.clone()), headers)
}

/// A response of events whose data is JSON.
pub fn json_events<T: Serialize + Send + 'static>(status: u16, events: EventStream<T>, headers: Vec<(&'static str, String)>) -> Response {
    respond(status, events, |data| serde_json::to_string(data).map_err(|e| e.to_string()), headers)
}

/// The stream ends at the first error of the implementation's stream or
/// an event that cannot be encoded, logged: the status has been sent.
fn respond<T: Send + 'static>(status: u16, events: EventStream<T>, data: fn(&T) -> Result<String, String>, headers: Vec<(&'static str, String)>) -> Response {
    let Ok(status) = StatusCode::from_u16(status) else {
        return internal(format!("{status} is not a status code"));
    };
    let frames = events
        .map(move |item| match item {
            Ok(event) => sse_event(&event, data),
            Err(e) => Err(e.to_string()),
        })
        .take_while(|frame| {
            if let Err(e) = frame {
                tracing::warn!(error = %e, "the stream of events ends early");
            }
            std::future::ready(frame.is_ok())
        })
        .filter_map(|frame| std::future::ready(frame.ok().map(Ok::<_, Infallible>)));
    let mut response = Sse::new(frames).keep_alive(KeepAlive::default()).into_response();
    *response.status_mut() = status;
    append_headers(response, headers)
}

fn sse_event<T>(event: &Event<T>, data: fn(&T) -> Result<String, String>) -> Result<SseEvent, String> {
    // A line break would end the field early (axum panics on it).
    let one_line = |field: &str, value: &Option<String>| match value {
        Some(v) if v.contains(['\n', '\r', '\0']) => Err(format!("the event's {field} {v:?} is not one line")),
        _ => Ok(()),
    };
    one_line("type", &event.event)?;
    one_line("id", &event.id)?;
    let mut frame = SseEvent::default().data(data(&event.data)?);
    if let Some(name) = &event.event {
        frame = frame.event(name);
    }
    if let Some(id) = &event.id {
        frame = frame.id(id);
    }
    if let Some(retry) = event.retry {
        frame = frame.retry(retry);
    }
    Ok(frame)
}
