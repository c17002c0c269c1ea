//! What the wallet's people read and download: the usage history (a page at a time, or all of
//! a period as an xlsx file), the monthly statement, and an invoice as a printable document.

use billing::{EntryKind, Krw};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use store::{AgentRecord, EntryFilter, InvoiceRecord, LedgerEntryRecord};

use crate::Services;
use crate::error::AppError;

/// The usage history's filter, as a page sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct HistoryQuery {
    /// From this day (`YYYY-MM-DD`, the site's zone), inclusive.
    pub from: Option<String>,
    /// To this day, inclusive.
    pub to: Option<String>,
    /// Only this kind of movement (`usage`, `cash_charged`, `settled`, …).
    pub kind: Option<String>,
    /// Only usages of this kind (`event_message`).
    pub usage_kind: Option<String>,
    /// Entries older than this id (the next page).
    pub before: Option<i64>,
    /// At most this many (1–500; 100 when absent).
    pub limit: Option<i64>,
}

/// A month's statement.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementView {
    /// `YYYY-MM`.
    pub month: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub statement: billing::Statement,
}

/// The most rows one xlsx download holds (a year of a busy wallet's usages fits).
pub const MAX_EXPORT_ROWS: usize = 1_000_000;

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![(field.to_owned(), message.into())])
}

impl Services {
    /// Parses the query into the store's filter (days in the site's zone).
    async fn history_filter(
        &self,
        site: sangdam_core::SiteId,
        q: &HistoryQuery,
    ) -> Result<EntryFilter, AppError> {
        let zone = self.hours_of_site(site).await?.hours.zone().clone();
        let day = |field: &str, v: &Option<String>, next: bool| -> Result<Option<i64>, AppError> {
            let Some(v) = v else { return Ok(None) };
            let date: jiff::civil::Date = v
                .parse()
                .map_err(|_| bad(field, "is a day written YYYY-MM-DD"))?;
            let date = if next {
                date.tomorrow().map_err(|_| bad(field, "is too far"))?
            } else {
                date
            };
            let at = date
                .to_zoned_datetime(zone.time_zone().clone())
                .map_err(|_| bad(field, "is not a day of the site's zone"))?;
            Ok(Some(at.timestamp().as_millisecond()))
        };
        let kind = match &q.kind {
            Some(k) => Some(EntryKind::parse(k).map_err(|e| bad("kind", e.to_string()))?),
            None => None,
        };
        if q.usage_kind.as_ref().is_some_and(|k| k.len() > 50) {
            return Err(bad("usage_kind", "has at most 50 characters"));
        }
        Ok(EntryFilter {
            from: day("from", &q.from, false)?,
            to: day("to", &q.to, true)?,
            kind,
            usage_kind: q.usage_kind.clone(),
            before: q.before,
            limit: q.limit.unwrap_or(100).clamp(1, 500),
        })
    }

    /// A page of the wallet's movements, newest first.
    pub async fn wallet_history(
        &self,
        caller: &AgentRecord,
        q: &HistoryQuery,
    ) -> Result<Vec<LedgerEntryRecord>, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        let filter = self.history_filter(wallet.site_id, q).await?;
        Ok(self.store.ledger_entries(wallet.id, &filter).await?)
    }

    /// Every movement the filter shows, as an xlsx file (times as Excel date-times in the
    /// site's zone).
    pub async fn wallet_history_xlsx(
        &self,
        caller: &AgentRecord,
        q: &HistoryQuery,
    ) -> Result<Vec<u8>, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        let mut filter = self.history_filter(wallet.site_id, q).await?;
        filter.limit = 5000;
        filter.before = None;
        let mut rows = Vec::new();
        loop {
            let page = self.store.ledger_entries(wallet.id, &filter).await?;
            let Some(last) = page.last() else { break };
            filter.before = Some(last.id);
            let done = page.len() < 5000;
            rows.extend(page);
            if done || rows.len() >= MAX_EXPORT_ROWS {
                break;
            }
        }
        let zone = self
            .hours_of_site(wallet.site_id)
            .await?
            .hours
            .zone()
            .clone();
        tokio::task::spawn_blocking(move || history_workbook(&rows, zone.time_zone()))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(format!("writing the xlsx: {e}")))
    }

    /// The statement of `month` (`YYYY-MM`, the site's zone): opening and closing figures and
    /// every movement between.
    pub async fn wallet_statement(
        &self,
        caller: &AgentRecord,
        month: &str,
    ) -> Result<StatementView, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        let (year, m) = month
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)))
            .ok_or_else(|| bad("month", "is a month written YYYY-MM"))?;
        let zone = self
            .hours_of_site(wallet.site_id)
            .await?
            .hours
            .zone()
            .clone();
        let (from, to) = billing::month_bounds(year, m, zone.time_zone())
            .map_err(|e| bad("month", e.to_string()))?;
        let entries = self.store.ledger_all(wallet.id).await?;
        let expiries = self
            .store
            .grants(wallet.id)
            .await?
            .into_iter()
            .map(|g| (g.id, g.expires_at))
            .collect();
        Ok(StatementView {
            month: format!("{year:04}-{m:02}"),
            statement: billing::statement(&entries, &expiries, from, to),
        })
    }

    /// An invoice as a printable Korean document.
    pub async fn invoice_document(
        &self,
        caller: &AgentRecord,
        id: i64,
    ) -> Result<String, AppError> {
        let invoice = self.invoice(caller, id).await?;
        let zone = self
            .hours_of_site(caller.site_id)
            .await?
            .hours
            .zone()
            .clone();
        Ok(invoice_html(&invoice, &zone))
    }
}

fn kind_label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::CashCharged => "유상캐시 충전",
        EntryKind::FreeGranted => "무상캐시 지급",
        EntryKind::Usage => "사용",
        EntryKind::Settled => "자동결제",
        EntryKind::SettlementFailed => "자동결제 실패(미납)",
        EntryKind::ReceivablePaid => "미납 결제",
        EntryKind::FreeExpired => "무상캐시 만료",
        EntryKind::Refunded => "환불",
    }
}

/// The history as an xlsx workbook: a frozen header, an autofilter, date-times. Text goes in
/// with `write_string`, which never makes a formula of a leading `=`.
fn history_workbook(
    rows: &[LedgerEntryRecord],
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("월렛 내역")?;
    let bold = Format::new().set_bold();
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let money = Format::new().set_num_format("#,##0");
    let headers = [
        ("일시", 20.0),
        ("구분", 18.0),
        ("사용 항목", 16.0),
        ("수량", 8.0),
        ("단가(원)", 10.0),
        ("금액(원, 부가세 별도)", 20.0),
        ("참조", 30.0),
        ("키", 30.0),
    ];
    for (col, (title, width)) in (0u16..).zip(headers) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    for (row, e) in (1u32..).zip(rows) {
        let serial = crate::export::excel_serial(e.at, tz);
        sheet.write_number_with_format(row, 0, serial, &when)?;
        sheet.write_string(row, 1, kind_label(e.kind))?;
        if let Some(u) = &e.usage {
            sheet.write_string(row, 2, &u.kind)?;
            sheet.write_number(row, 3, u.quantity as f64)?;
            sheet.write_number_with_format(row, 4, u.unit_price.get() as f64, &money)?;
            if let Some(r) = &u.reference {
                sheet.write_string(row, 6, r)?;
            }
        }
        sheet.write_number_with_format(row, 5, e.amount.get() as f64, &money)?;
        sheet.write_string(row, 7, &e.key)?;
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, 7)?;
    book.save_to_buffer()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn invoice_html(i: &InvoiceRecord, zone: &sangdam_core::hours::Zone) -> String {
    let issued = jiff::Timestamp::from_millisecond(i.issued_at)
        .map(|t| zone.local(t).strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let won = |k: Krw| format!("{k}원");
    format!(
        "<!doctype html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>세금계산서 {period}</title>\
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}th,td{{border:1px solid #999;padding:.4em .8em;text-align:left}}td.n{{text-align:right}}</style>\
</head><body><h1>세금계산서</h1><table>\
<tr><th>대상 기간</th><td>{period}</td></tr>\
<tr><th>작성일</th><td>{issued}</td></tr>\
<tr><th>공급받는 자 사업자등록번호</th><td>{number}</td></tr>\
<tr><th>상호</th><td>{name}</td></tr>\
<tr><th>대표자</th><td>{rep}</td></tr>\
<tr><th>받는 이메일</th><td>{email}</td></tr>\
<tr><th>공급가액</th><td class=\"n\">{supply}</td></tr>\
<tr><th>세액</th><td class=\"n\">{vat}</td></tr>\
<tr><th>합계금액</th><td class=\"n\">{total}</td></tr>\
</table><p>{period} 한 달 동안 유상캐시와 자동결제로 소진된 금액 기준입니다(무상캐시 사용분 제외).</p></body></html>\n",
        period = escape(&i.period),
        number = escape(&i.business_number),
        name = escape(&i.business_name),
        rep = escape(&i.representative),
        email = escape(&i.email),
        supply = won(i.supply),
        vat = won(i.vat),
        total = won(i.total),
    )
}
