//! What the bank's messages say, in every language it writes: one phrase per row, one
//! column per language. A message is sentences of this table joined by the language's
//! sentence gap; `{reference}`, `{status}` and `{link}` are filled in by `compose`.
//!
//! The wording avoids grammatical gender and names (Polish and Russian would need the
//! customer's case and gender), and puts `{link}` last, so no punctuation clings to a URL.

use crate::languages::Translated;

/// What goes between two sentences: nothing in Chinese, a space elsewhere (Thai marks the
/// end of a sentence with a space, having no full stop).
pub const SENTENCE_GAP: Translated = Translated {
    en: " ",
    zh_hant: "",
    th: " ",
    vi: " ",
    id: " ",
    ms: " ",
    pl: " ",
    ru: " ",
    ar: " ",
};

/// The first sentence of the acknowledgement of an application.
pub const APPLICATION_RECEIVED: Translated = Translated {
    en: "Thank you. We have received your credit card application.",
    zh_hant: "多謝閣下！我們已收到閣下的信用卡申請。",
    th: "ขอบคุณที่สมัครบัตรเครดิตกับเรา เราได้รับใบสมัครของท่านแล้ว",
    vi: "Cảm ơn Quý khách. Chúng tôi đã nhận được hồ sơ đăng ký thẻ tín dụng của Quý khách.",
    id: "Terima kasih. Kami telah menerima pengajuan kartu kredit Anda.",
    ms: "Terima kasih. Kami telah menerima permohonan kad kredit anda.",
    pl: "Dziękujemy za złożenie wniosku o kartę kredytową.",
    ru: "Спасибо! Мы получили Вашу заявку на кредитную карту.",
    ar: "شكرًا لك. لقد استلمنا طلبك للحصول على بطاقة ائتمان.",
};

/// The first sentence of the acknowledgement of a prospect (a lead, not yet an application).
pub const PROSPECT_RECEIVED: Translated = Translated {
    en: "Thank you for your interest in our credit card. We have received your details.",
    zh_hant: "多謝閣下對我們的信用卡感興趣，我們已收到閣下的資料。",
    th: "ขอบคุณที่สนใจบัตรเครดิตของเรา เราได้รับข้อมูลของท่านแล้ว",
    vi: "Cảm ơn Quý khách đã quan tâm đến thẻ tín dụng của chúng tôi. Chúng tôi đã nhận được thông tin của Quý khách.",
    id: "Terima kasih atas minat Anda pada kartu kredit kami. Kami telah menerima data Anda.",
    ms: "Terima kasih atas minat anda terhadap kad kredit kami. Kami telah menerima maklumat anda.",
    pl: "Dziękujemy za zainteresowanie naszą kartą kredytową. Otrzymaliśmy przesłane dane.",
    ru: "Спасибо за интерес к нашей кредитной карте. Мы получили Ваши данные.",
    ar: "شكرًا لاهتمامك ببطاقتنا الائتمانية. لقد استلمنا بياناتك.",
};

/// The first sentence of a message about a change of status.
pub const STATUS_CHANGED: Translated = Translated {
    en: "There is an update on your credit card application.",
    zh_hant: "閣下的信用卡申請狀態已更新。",
    th: "สถานะใบสมัครบัตรเครดิตของท่านมีการเปลี่ยนแปลง",
    vi: "Hồ sơ đăng ký thẻ tín dụng của Quý khách có cập nhật mới.",
    id: "Ada informasi terbaru mengenai pengajuan kartu kredit Anda.",
    ms: "Terdapat maklumat terkini tentang permohonan kad kredit anda.",
    pl: "Status wniosku o kartę kredytową uległ zmianie.",
    ru: "Статус Вашей заявки на кредитную карту изменился.",
    ar: "هناك تحديث بشأن طلبك للحصول على بطاقة ائتمان.",
};

/// The reference number, which the customer quotes when they call the bank.
pub const REFERENCE: Translated = Translated {
    en: "Reference number: {reference}.",
    zh_hant: "參考編號：{reference}。",
    th: "หมายเลขอ้างอิง: {reference}",
    vi: "Số tham chiếu: {reference}.",
    id: "Nomor referensi: {reference}.",
    ms: "Nombor rujukan: {reference}.",
    pl: "Numer referencyjny: {reference}.",
    ru: "Номер заявки: {reference}.",
    ar: "الرقم المرجعي: {reference}.",
};

/// The status, named by one of the four status phrases below.
pub const STATUS: Translated = Translated {
    en: "Status: {status}.",
    zh_hant: "狀態：{status}。",
    th: "สถานะ: {status}",
    vi: "Trạng thái: {status}.",
    id: "Status: {status}.",
    ms: "Status: {status}.",
    pl: "Status wniosku: {status}.",
    ru: "Статус заявки: {status}.",
    ar: "الحالة: {status}.",
};

/// The first sentence of the alert sent when the customer saves an application for later.
pub const APPLICATION_SAVED: Translated = Translated {
    en: "Your credit card application is saved.",
    zh_hant: "閣下的信用卡申請已儲存。",
    th: "ระบบได้บันทึกใบสมัครบัตรเครดิตของท่านไว้แล้ว",
    vi: "Hồ sơ đăng ký thẻ tín dụng của Quý khách đã được lưu.",
    id: "Pengajuan kartu kredit Anda telah disimpan.",
    ms: "Permohonan kad kredit anda telah disimpan.",
    pl: "Wniosek o kartę kredytową został zapisany.",
    ru: "Ваша заявка на кредитную карту сохранена.",
    ar: "تم حفظ طلبك للحصول على بطاقة ائتمان.",
};

/// Status of an application saved for the customer to continue later.
pub const SAVED: Translated = Translated {
    en: "Saved, waiting for you to continue",
    zh_hant: "已儲存，等待閣下繼續申請",
    th: "บันทึกแล้ว รอท่านดำเนินการต่อ",
    vi: "Đã lưu, chờ Quý khách tiếp tục",
    id: "Disimpan, menunggu Anda melanjutkan",
    ms: "Disimpan, menunggu anda meneruskan",
    pl: "zapisany, czeka na dokończenie",
    ru: "сохранена, ожидает продолжения",
    ar: "محفوظ، بانتظار متابعتك",
};

/// Status of an application or prospect the bank has just received.
pub const RECEIVED: Translated = Translated {
    en: "Received",
    zh_hant: "已收到",
    th: "ได้รับแล้ว",
    vi: "Đã tiếp nhận",
    id: "Diterima",
    ms: "Diterima",
    pl: "przyjęty do rozpatrzenia",
    ru: "получена",
    ar: "تم الاستلام",
};

/// Status of an application approved in principle (`000`).
pub const APPROVED: Translated = Translated {
    en: "Approved in principle",
    zh_hant: "已獲原則上批核",
    th: "อนุมัติเบื้องต้นแล้ว",
    vi: "Đã được phê duyệt sơ bộ",
    id: "Disetujui secara prinsip",
    ms: "Diluluskan secara prinsip",
    pl: "wstępnie zaakceptowany",
    ru: "предварительно одобрена",
    ar: "موافقة مبدئية",
};

/// Status of an application referred to the bank's underwriters (`002`, or submitted for
/// manual review).
pub const UNDER_REVIEW: Translated = Translated {
    en: "Under review",
    zh_hant: "審核中",
    th: "อยู่ระหว่างการพิจารณา",
    vi: "Đang xem xét",
    id: "Sedang ditinjau",
    ms: "Dalam semakan",
    pl: "w trakcie rozpatrywania",
    ru: "на рассмотрении",
    ar: "قيد المراجعة",
};

/// Status of a declined application (`003`), worded as banks tell customers.
pub const DECLINED: Translated = Translated {
    en: "Not approved",
    zh_hant: "未獲批核",
    th: "ไม่ได้รับการอนุมัติ",
    vi: "Không được phê duyệt",
    id: "Tidak disetujui",
    ms: "Tidak diluluskan",
    pl: "rozpatrzony negatywnie",
    ru: "отклонена",
    ar: "لم تتم الموافقة",
};

/// The next step where the bank has an online channel; `{link}` is the continue link.
pub const CONTINUE_ONLINE: Translated = Translated {
    en: "To continue your application online, go to {link}",
    zh_hant: "如欲於網上繼續申請，請前往 {link}",
    th: "สมัครต่อทางออนไลน์ได้ที่ {link}",
    vi: "Để tiếp tục đăng ký trực tuyến, vui lòng truy cập {link}",
    id: "Untuk melanjutkan pengajuan secara online, kunjungi {link}",
    ms: "Untuk meneruskan permohonan anda dalam talian, layari {link}",
    pl: "Wniosek można kontynuować online: {link}",
    ru: "Продолжить оформление заявки онлайн можно по ссылке: {link}",
    ar: "لمتابعة طلبك عبر الإنترنت، يُرجى زيارة {link}",
};

/// The next step where the bank's representatives follow up leads by phone.
pub const REPRESENTATIVE_WILL_CALL: Translated = Translated {
    en: "One of our representatives will call you to help you complete your application.",
    zh_hant: "我們的客戶代表將致電閣下，協助閣下完成申請。",
    th: "เจ้าหน้าที่ของเราจะติดต่อกลับทางโทรศัพท์เพื่อช่วยท่านดำเนินการสมัครให้เสร็จสมบูรณ์",
    vi: "Nhân viên của chúng tôi sẽ gọi điện cho Quý khách để hỗ trợ hoàn tất hồ sơ đăng ký.",
    id: "Petugas kami akan menghubungi Anda melalui telepon untuk membantu menyelesaikan pengajuan Anda.",
    ms: "Wakil kami akan menghubungi anda melalui telefon untuk membantu anda melengkapkan permohonan.",
    pl: "Nasz doradca zadzwoni, aby pomóc w dokończeniu wniosku.",
    ru: "Наш сотрудник позвонит Вам и поможет завершить оформление заявки.",
    ar: "سيتصل بك أحد ممثلينا لمساعدتك في إكمال طلبك.",
};

/// The last sentence of a decline, instead of a next step there is none of.
pub const DECLINED_NOTE: Translated = Translated {
    en: "We are sorry that we cannot offer you the card at this time.",
    zh_hant: "很抱歉，我們目前未能向閣下提供此信用卡。",
    th: "ขออภัย เราไม่สามารถเสนอบัตรนี้ให้ท่านได้ในขณะนี้",
    vi: "Rất tiếc, hiện tại chúng tôi chưa thể cung cấp thẻ này cho Quý khách.",
    id: "Mohon maaf, saat ini kami belum dapat memberikan kartu ini kepada Anda.",
    ms: "Harap maaf, kami tidak dapat menawarkan kad ini kepada anda buat masa ini.",
    pl: "Przykro nam, ale obecnie nie możemy zaproponować tej karty.",
    ru: "К сожалению, сейчас мы не можем предложить Вам эту карту.",
    ar: "نأسف لعدم تمكننا من تقديم البطاقة لك في الوقت الحالي.",
};

/// The subject of an e-mail about an application.
pub const APPLICATION_SUBJECT: Translated = Translated {
    en: "Your credit card application {reference}",
    zh_hant: "閣下的信用卡申請 {reference}",
    th: "ใบสมัครบัตรเครดิตของท่าน {reference}",
    vi: "Hồ sơ đăng ký thẻ tín dụng {reference}",
    id: "Pengajuan kartu kredit Anda {reference}",
    ms: "Permohonan kad kredit anda {reference}",
    pl: "Wniosek o kartę kredytową {reference}",
    ru: "Ваша заявка на кредитную карту {reference}",
    ar: "طلب بطاقة الائتمان {reference}",
};

/// The subject of an e-mail about a prospect.
pub const PROSPECT_SUBJECT: Translated = Translated {
    en: "Your credit card enquiry {reference}",
    zh_hant: "閣下的信用卡查詢 {reference}",
    th: "คำขอข้อมูลบัตรเครดิตของท่าน {reference}",
    vi: "Yêu cầu tư vấn thẻ tín dụng {reference}",
    id: "Permintaan informasi kartu kredit Anda {reference}",
    ms: "Pertanyaan kad kredit anda {reference}",
    pl: "Zgłoszenie zainteresowania kartą kredytową {reference}",
    ru: "Ваш запрос о кредитной карте {reference}",
    ar: "استفسارك عن بطاقة الائتمان {reference}",
};

/// Every phrase, for the checks that hold for all of them.
#[cfg(test)]
pub const ALL: [(&str, Translated); 17] = [
    ("SENTENCE_GAP", SENTENCE_GAP),
    ("APPLICATION_RECEIVED", APPLICATION_RECEIVED),
    ("PROSPECT_RECEIVED", PROSPECT_RECEIVED),
    ("STATUS_CHANGED", STATUS_CHANGED),
    ("REFERENCE", REFERENCE),
    ("STATUS", STATUS),
    ("RECEIVED", RECEIVED),
    ("APPROVED", APPROVED),
    ("UNDER_REVIEW", UNDER_REVIEW),
    ("DECLINED", DECLINED),
    ("CONTINUE_ONLINE", CONTINUE_ONLINE),
    ("REPRESENTATIVE_WILL_CALL", REPRESENTATIVE_WILL_CALL),
    ("DECLINED_NOTE", DECLINED_NOTE),
    ("APPLICATION_SUBJECT", APPLICATION_SUBJECT),
    ("PROSPECT_SUBJECT", PROSPECT_SUBJECT),
    ("APPLICATION_SAVED", APPLICATION_SAVED),
    ("SAVED", SAVED),
];
