//! Hand-written serde types of the same shape as the generated ones, as a
//! developer would write them: `Option`s skipped when absent, an internally
//! tagged enum for the discriminated customer, untagged enums for the
//! oneOf unions without a discriminator.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

type Time = DateTime<FixedOffset>;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<Order>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<BTreeMap<String, String>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_address_id: Option<i64>,
    pub shop: Shop,
    pub customer: Customer,
    pub positions: Vec<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Shop {
    pub name: String,
    pub order_creation_date: Time,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_numbers: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "type")]
pub enum Customer {
    #[serde(rename = "PERSON", rename_all = "camelCase")]
    Person {
        #[serde(skip_serializing_if = "Option::is_none")]
        contact: Option<Contact>,
        #[serde(skip_serializing_if = "Option::is_none")]
        first_name: Option<String>,
        last_name: String,
    },
    #[serde(rename = "COMPANY", rename_all = "camelCase")]
    Company {
        company_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        department: Option<String>,
    },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Contact {
    pub email: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub number: String,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ship_to_address_id: Option<i64>,
    pub product: Product,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub name: String,
    pub product_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_status: PaymentStatus,
    pub payment_history: Vec<PaymentHistoryItem>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PaymentStatus {
    pub invoicing_debit_amount: f64,
    pub invoicing_credit_amount: f64,
    pub charged_debit_amount: f64,
    pub charged_credit_amount: f64,
    pub charged_open_amount: f64,
    pub booked_debit_amount: f64,
    pub booked_credit_amount: f64,
    pub booked_open_amount: f64,
    pub creation_date: Time,
    pub last_calculation_date: Time,
    pub currency: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PaymentHistoryItem {
    pub currency: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub action: String,
    pub payment_method: String,
    pub creation_date: Time,
    pub modification_date: Time,
    pub amount: f64,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum Address {
    Postal {
        id: i64,
        #[serde(rename = "type")]
        type_: String,
        location: Location,
        receiver: Receiver,
    },
    Immaterial {
        id: i64,
        #[serde(rename = "type")]
        type_: String,
        kind: String,
        value: String,
    },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub city: String,
    pub post_code: String,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additions: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum Receiver {
    Person {
        person: Person,
    },
    Company {
        #[serde(rename = "companyName")]
        company_name: String,
    },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    pub last_name: String,
}

/// An RMA return request as read.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReturnRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    #[serde(rename = "type")]
    pub type_: ReturnType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rma_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop_order_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_status: Option<BusinessStatus>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Link {
    pub href: String,
    pub rel: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnType {
    Return,
    Pickup,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Accepted,
    Closed,
    DoApprove,
    DoClose,
    Initial,
    Rejected,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BusinessStatus {
    Accepted,
    InApproval,
    ReadyToApprove,
    Rejected,
    Unknown,
}
