//! Responses that are streams of events (`text/event-stream`), yielded as
//! they arrive. The events are parsed by `eventsource-stream`.

use eventsource_stream::Eventsource as _;
use futures_util::StreamExt as _;

use super::{Error, Received};
use crate::models::events::{Event, EventError, EventStream};

const EVENT_STREAM: &str = "text/event-stream";

impl Received {
    /// The events of the response, each one's data as text.
    pub fn text_events(&mut self) -> Result<EventStream<String>, Error> {
        self.events(|data| Ok(data.to_string()))
    }

    /// The events of the response, each one's data decoded from JSON.
    pub fn json_events<T: serde::de::DeserializeOwned + Send + 'static>(&mut self) -> Result<EventStream<T>, Error> {
        self.events(|data| serde_json::from_str(data).map_err(|e| format!("an event's data does not decode: {e}")))
    }

    fn events<T: Send + 'static>(&mut self, decode: fn(&str) -> Result<T, String>) -> Result<EventStream<T>, Error> {
        let Some(response) = self.stream.take() else {
            return Err(Error::UnexpectedContentType {
                status: self.status,
                content_type: self.content_type.clone(),
                expected: EVENT_STREAM,
                excerpt: self.excerpt(),
            });
        };
        let events = response.bytes_stream().eventsource().map(move |item| {
            let event = item.map_err(|e| EventError::new(e.to_string()))?;
            let data = decode(&event.data).map_err(EventError::new)?;
            let kind = (!event.event.is_empty() && event.event != "message").then_some(event.event);
            let id = (!event.id.is_empty()).then_some(event.id);
            Ok(Event { data, event: kind, id, retry: event.retry })
        });
        Ok(EventStream::new(events))
    }
}
