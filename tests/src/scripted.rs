//! One [`Script`](crate::script::Script)ed implementation per generated
//! server trait, shared by the router tests and the client round trips.

/// Order State.
pub mod order_state {
    #![allow(deprecated)] // the spec deprecates its only operation
    use iom_order_state_server::models::*;

    crate::scripted_api!(Scripted: iom_order_state_server, IomOrderStateApi {
        get_order_states_by_sort_criterias(GetOrderStatesBySortCriteriasRequest)
            -> GetOrderStatesBySortCriteriasResponse,
    });
}

/// Communication.
pub mod communication {
    use iom_communication_server::models::*;

    crate::scripted_api!(Scripted: iom_communication_server, IomCommunicationApi {
        create_dispatch(CreateDispatchRequest) -> CreateDispatchResponse,
        create_order_response(CreateOrderResponseRequest) -> CreateOrderResponseResponse,
        create_return(CreateReturnRequest) -> CreateReturnResponse,
    });
}

/// GDPR.
pub mod gdpr {
    use iom_gdpr_server::models::*;

    crate::scripted_api!(Scripted: iom_gdpr_server, IomGdprApi {
        get_customer(GetCustomerRequest) -> GetCustomerResponse,
    });
}

/// RMA.
pub mod rma {
    use iom_rma_server::models::*;

    crate::scripted_api!(Scripted: iom_rma_server, IomRmaApi {
        get_return_requests(GetReturnRequestsRequest) -> GetReturnRequestsResponse,
        create_return_request(CreateReturnRequestRequest) -> CreateReturnRequestResponse,
        create_approval(CreateApprovalRequest) -> CreateApprovalResponse,
        get_contact_persons(GetContactPersonsRequest) -> GetContactPersonsResponse,
        get_return_request(GetReturnRequestRequest) -> GetReturnRequestResponse,
        get_custom_attributes(GetCustomAttributesRequest) -> GetCustomAttributesResponse,
        get_return_request_pickup_addresses(GetReturnRequestPickupAddressesRequest)
            -> GetReturnRequestPickupAddressesResponse,
        get_return_request_position(GetReturnRequestPositionRequest) -> GetReturnRequestPositionResponse,
        get_return_request_items(GetReturnRequestItemsRequest) -> GetReturnRequestItemsResponse,
        get_return_request_positions(GetReturnRequestPositionsRequest) -> GetReturnRequestPositionsResponse,
        get_returnable_data(GetReturnableDataRequest) -> GetReturnableDataResponse,
        get_shop2_return_reasons(GetShop2ReturnReasonsRequest) -> GetShop2ReturnReasonsResponse,
    });
}

/// The fixture of tests/fixtures/operations.yaml, whose `listItems` takes
/// no credentials (the call records `()` instead).
pub mod fixture {
    #![allow(deprecated)] // putItem is deprecated
    use fixture_operations_server::models::*;
    use fixture_operations_server::{AuthError, FixtureOperationsApi, RequestContext};

    use crate::script::Script;

    #[derive(Clone, Default)]
    pub struct Scripted(pub Script);

    impl FixtureOperationsApi for Scripted {
        type Principal = Credentials;

        async fn authenticate(
            &self,
            credentials: Credentials,
            _: &RequestContext,
        ) -> Result<Credentials, AuthError> {
            Ok(credentials)
        }

        async fn get_item(
            &self,
            r: GetItemRequest,
            c: Credentials,
            _: &mut RequestContext,
        ) -> GetItemResponse {
            self.0.call(r, c)
        }
        async fn put_item(
            &self,
            r: PutItemRequest,
            c: Credentials,
            _: &mut RequestContext,
        ) -> PutItemResponse {
            self.0.call(r, c)
        }
        async fn list_items(
            &self,
            r: ListItemsRequest,
            _: &mut RequestContext,
        ) -> ListItemsResponse {
            self.0.call(r, ())
        }
        async fn create_item(
            &self,
            r: CreateItemRequest,
            c: Credentials,
            _: &mut RequestContext,
        ) -> CreateItemResponse {
            self.0.call(r, c)
        }
    }
}
