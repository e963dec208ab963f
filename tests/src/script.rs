//! A trait implementation whose answers the test chooses: each call records
//! the typed request and credentials it received and returns the response
//! queued for it. The per-spec test files implement a server trait with
//! [`scripted_api!`](crate::scripted_api) on top of it.

use std::any::Any;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

type Boxed = Box<dyn Any + Send>;

/// Shared between the test and the router (clone it before handing it over).
#[derive(Clone, Default)]
pub struct Script(Arc<Mutex<State>>);

#[derive(Default)]
struct State {
    answers: VecDeque<Boxed>,
    received: Vec<(Boxed, Boxed)>,
}

impl Script {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in one test call poisons nothing we care about.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues the response for the next call.
    pub fn answer<R: Any + Send>(&self, response: R) -> &Self {
        self.state().answers.push_back(Box::new(response));
        self
    }

    /// Records a call and returns the queued response; panics (a 500 from
    /// the router) when none is queued or it has another type.
    pub fn call<Q: Any + Send, C: Any + Send, R: Any>(&self, request: Q, credentials: C) -> R {
        let mut state = self.state();
        state
            .received
            .push((Box::new(request), Box::new(credentials)));
        let answer = state.answers.pop_front().expect("a queued answer");
        *answer
            .downcast::<R>()
            .expect("the queued answer has the operation's response type")
    }

    /// How many calls reached the implementation.
    pub fn calls(&self) -> usize {
        self.state().received.len()
    }

    /// The request and credentials of the latest call; panics when there is
    /// none or it was another operation.
    pub fn last<Q: Any + Clone, C: Any + Clone>(&self) -> (Q, C) {
        let state = self.state();
        let (q, c) = state.received.last().expect("a call reached the trait");
        (
            q.downcast_ref::<Q>()
                .expect("the expected operation")
                .clone(),
            c.downcast_ref::<C>().expect("credentials").clone(),
        )
    }
}

/// Implements a generated server trait on a newtype over [`Script`]:
/// `scripted_api!(Scripted: iom_rma_server, IomRmaApi { get_return_requests(GetReturnRequestsRequest) -> GetReturnRequestsResponse, … })`.
/// Every credential is accepted and becomes the principal, which each call
/// records beside its request. The request and response types must be in
/// scope.
#[macro_export]
macro_rules! scripted_api {
    ($ty:ident : $server:ident, $api:ident { $($method:ident($request:ty) -> $response:ty),* $(,)? }) => {
        #[derive(Clone, Default)]
        pub struct $ty(pub $crate::script::Script);

        impl $server::$api for $ty {
            type Principal = $server::models::Credentials;

            async fn authenticate(
                &self,
                credentials: $server::models::Credentials,
                _: &$server::RequestContext,
            ) -> Result<Self::Principal, $server::AuthError> {
                Ok(credentials)
            }

            $(
                async fn $method(
                    &self,
                    request: $request,
                    principal: Self::Principal,
                    _: &mut $server::RequestContext,
                ) -> $response {
                    self.0.call(request, principal)
                }
            )*
        }
    };
}

/// Queues `response`, makes the client `call` with `request`, and checks
/// that the client returned exactly `response` and the implementation
/// received exactly `request`.
pub async fn round_trip<'a, Q, R, E, F>(
    script: &Script,
    request: &'a Q,
    response: R,
    call: impl FnOnce(&'a Q) -> F,
) where
    Q: Any + Clone + PartialEq + std::fmt::Debug,
    R: Any + Send + Clone + PartialEq + std::fmt::Debug,
    E: std::fmt::Debug,
    F: std::future::Future<Output = Result<R, E>>,
{
    script.answer(response.clone());
    let calls = script.calls();
    let got = call(request).await;
    assert_eq!(got.as_ref().ok(), Some(&response), "client result: {got:?}");
    assert_eq!(
        script.calls(),
        calls + 1,
        "one call reached the implementation"
    );
    let state = script.state();
    let (received, _) = state.received.last().expect("a call reached the trait");
    assert_eq!(
        received.downcast_ref::<Q>(),
        Some(request),
        "what the implementation received"
    );
}
