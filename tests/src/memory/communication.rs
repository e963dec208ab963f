//! Communication: stores every accepted message and answers 201 with its
//! location.

use std::sync::Mutex;

use iom_communication_server::models::*;
use iom_communication_server::IomCommunicationApi;
use iom_communication_server::RequestContext;

use super::{admin_only, lock, Admin};

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
    admin_only!(iom_communication_server);

    async fn create_dispatch(
        &self,
        request: CreateDispatchRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> CreateDispatchResponse {
        let location = self.store("dispatches", Message::Dispatch(request.body));
        CreateDispatchResponse::Created {
            location: Some(location),
        }
    }

    async fn create_order_response(
        &self,
        request: CreateOrderResponseRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> CreateOrderResponseResponse {
        let location = self.store("responses", Message::OrderResponse(request.body));
        CreateOrderResponseResponse::Created {
            location: Some(location),
        }
    }

    async fn create_return(
        &self,
        request: CreateReturnRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> CreateReturnResponse {
        let location = self.store("returns", Message::Return(request.body));
        CreateReturnResponse::Created {
            location: Some(location),
        }
    }
}
