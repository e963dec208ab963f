//! Communication: stores every accepted message and answers 201 with its
//! location.

use std::sync::Mutex;

use iom_communication_server::models::*;
use iom_communication_server::IomCommunicationApi;

use super::{allowed, lock};

/// The messages received so far, in order.
#[derive(Default)]
pub struct Messages {
    pub received: Mutex<Vec<Message>>,
}

/// One accepted message.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Dispatch(Dispatch),
    OrderResponse(OrderResponse),
    Return(Return),
}

impl Messages {
    /// Stores `message`; its location under `collection`.
    fn store(&self, collection: &str, message: Message) -> String {
        let mut received = lock(&self.received);
        received.push(message);
        format!("/rest/communication/{collection}/{}", received.len())
    }
}

impl IomCommunicationApi for Messages {
    async fn create_dispatch(
        &self,
        request: CreateDispatchRequest,
        credentials: Credentials,
    ) -> CreateDispatchResponse {
        if !allowed!(&credentials) {
            return CreateDispatchResponse::Forbidden;
        }
        let location = self.store("dispatches", Message::Dispatch(request.body));
        CreateDispatchResponse::Created {
            location: Some(location),
        }
    }

    async fn create_order_response(
        &self,
        request: CreateOrderResponseRequest,
        credentials: Credentials,
    ) -> CreateOrderResponseResponse {
        if !allowed!(&credentials) {
            return CreateOrderResponseResponse::Forbidden;
        }
        let location = self.store("responses", Message::OrderResponse(request.body));
        CreateOrderResponseResponse::Created {
            location: Some(location),
        }
    }

    async fn create_return(
        &self,
        request: CreateReturnRequest,
        credentials: Credentials,
    ) -> CreateReturnResponse {
        if !allowed!(&credentials) {
            return CreateReturnResponse::Forbidden;
        }
        let location = self.store("returns", Message::Return(request.body));
        CreateReturnResponse::Created {
            location: Some(location),
        }
    }
}
