//! Issuing a month's tax invoice (R5.4) goes through one trait, so that an e-invoicing
//! provider (one of the National Tax Service's ASP partners) can file it where Korean tax
//! invoices are filed. The default, [`KeepAndEmail`], keeps the invoice (viewable and
//! downloadable on the wallet page) and sends it to the invoice address and the wallet's
//! people. Issuing the same month again answers the invoice kept and queues no second e-mail.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use store::{InvoiceRecord, NewInvoice, WalletRecord};

use crate::Services;
use crate::error::AppError;
use crate::notices::Notice;

/// A future of an issuer.
pub type IssueFuture<'a> =
    Pin<Box<dyn Future<Output = Result<InvoiceRecord, AppError>> + Send + 'a>>;

/// Issues a month's invoice of a business wallet.
pub trait InvoiceIssuer: Send + Sync + Debug {
    fn issue<'a>(
        &'a self,
        services: &'a Services,
        wallet: &'a WalletRecord,
        invoice: &'a NewInvoice<'a>,
    ) -> IssueFuture<'a>;
}

/// Keeps the invoice and e-mails it.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeepAndEmail;

impl InvoiceIssuer for KeepAndEmail {
    fn issue<'a>(
        &'a self,
        services: &'a Services,
        wallet: &'a WalletRecord,
        invoice: &'a NewInvoice<'a>,
    ) -> IssueFuture<'a> {
        Box::pin(async move {
            let (record, _) = services
                .store
                .issue_invoice(invoice, services.now())
                .await?;
            // Queued once per period whatever the retries (the notice's key names it).
            services
                .notify(
                    wallet,
                    Notice::InvoiceIssued {
                        period: record.period.clone(),
                        supply: record.supply,
                        vat: record.vat,
                        total: record.total,
                        to: record.email.clone(),
                    },
                    &format!("invoice:{}", record.period),
                )
                .await?;
            Ok(record)
        })
    }
}
