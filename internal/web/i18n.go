package web

import (
	"strconv"
	"strings"
	"time"

	"khabar/internal/arabic/dates"
)

// Strings is every piece of interface text, one field per string, so that a
// template naming a missing string fails the template test instead of
// rendering nothing.
type Strings struct {
	Lang, Dir         string
	SiteName, Tagline string
	// Meta descriptions: "%s" is the page's subject.
	DescAbout, DescSearch, DescStory, DescSources    string
	SkipToContent, MainNav                           string
	Home, Sources, Search, SearchLabel               string
	SearchPlaceholder, SearchButton                  string
	Published, Updated, Source, Agency, Author       string
	Keywords, Entities, ReadAlso, OtherVersions      string
	AllVersions, OriginalArticle, CopyOf             string
	TopStories, Latest, Trending, TrendingTags       string
	TrendingEntities, LaterDevelopments              string
	Outlets, Versions, FirstReport, LastReport       string
	Results, NoResults, Page, PrevPage               string
	NextPage, Pagination                             string
	AllSources, FeedURL, Site, LastFetch             string
	NextFetch, Articles, Failing, Working            string
	NeverFetched, ErrorLabel, SourcesFailing         string
	Tag, NoArticles, Entity, Aliases                 string
	AppearsWith, Story, StoryVersions                string
	Persons, Places, Orgs, Others                    string
	NotFoundTitle, NotFoundText, BackHome            string
	ErrorTitle, ErrorText                            string
	Feeds, FeedRSS, FeedAtom, FeedJSON               string
	Language, OtherLang, Digits                      string
	DigitsArab, DigitsLatn, APIDocs                  string
	SearchEmpty, SourceFilter, AnySource             string
	AddSource, ImportOPML, ExportOPML                string
	Token, TitleOptional, AddButton                  string
	ImportButton, OPMLFile                           string
	WritesDisabled, BadToken                         string
	SourceExists, SourceAdded                        string
	Imported, AlreadyThere, Refused                  string
	PerDay, Status                                   string
	Alerts, AlertsIntro, AlertQuery, Webhook, Email  string
	CreateAlert, AlertCreated, AlertFeed, AlertThis  string
	QueryTooLong, InvalidQuery                       string
	PartialResults                                   string
	Login, Logout, LoginButton, LoginIntro           string
	LoginToWrite, LoggedIn, CSRFFailed, Remove       string
	SourceRemoved, AlertRemoved, SavedAlerts         string
	NoAlerts                                         string
	Coverage, Countries, BrokeBy, WhoCopied          string
	CopiesOf, CreditsAgency, Summary, OutletAdds     string
	NumbersLabel, NamesLabel, Quotes, Timeline       string
	UpdateLabel, OneSided, OneSidedNote              string
	KindWire, KindState, KindPublic, KindPrivate     string
	BadLogin, AdminOnly, NameOptional, Password      string
	MyNews, MyNewsIntro, MarkRead, MarkUnread        string
	Star, Unstar, Follow, Unfollow, Following        string
	MarkAllRead, NothingFollowed, LoggedInAs, Unread string
	AdminNoReading                                   string
	Filters, FromDate, ToDate, CountryFilter         string
	AnyCountry, KindFilter, AnyKind, TagFilter       string
	EntityFilter, BadFilter, Explore, ExploreIntro   string
	OverTime, ByOutlet, ByCountry, Share, Count      string
	DateLabel, Interval, Day, Week, Month            string
	ExportCSV, TopNames, TopTags, CompareWith        string
	ExploreThis, AlertPage, NoMatches, ChartOf       string
	Months                                           [12]string
}

// Interface languages. Arabic is the default; English is offered for
// readers and operators who do not read Arabic.
var (
	stringsAR = &Strings{
		Lang: "ar", Dir: "rtl",
		Coverage: "من يغطي القصة", Countries: "الدول", BrokeBy: "أول من نشرها", WhoCopied: "من نقل عن من",
		CopiesOf: "نقلها", CreditsAgency: "المصدر المذكور", Summary: "الخلاصة", OutletAdds: "ما يضيفه كل مصدر",
		NumbersLabel: "أرقام", NamesLabel: "أسماء", Quotes: "من قال ماذا", Timeline: "التسلسل الزمني",
		UpdateLabel: "تحديث", OneSided: "تغطية من جهة واحدة",
		OneSidedNote: "قصص تغطيها ثلاثة مصادر أو أكثر كلها من بلد واحد أو من نوع واحد، بينما تنشر مصادر أخرى في الأيام نفسها",
		KindWire:     "وكالة أنباء", KindState: "إعلام رسمي", KindPublic: "إعلام عام", KindPrivate: "إعلام خاص",
		SiteName: "خبر", Tagline: "الأخبار العربية من مصادرها، في مكان واحد",
		DescAbout: "آخر الأخبار عن %s من المصادر العربية", DescSearch: "نتائج البحث عن «%s» في الأخبار العربية",
		DescStory: "%s: كل تغطيات القصة من مصادرها", DescSources: "المصادر التي يجمع منها خبر الأخبار العربية، وحالة كل منها",
		SkipToContent: "انتقل إلى المحتوى", MainNav: "القائمة الرئيسية",
		Home: "الرئيسية", Sources: "المصادر", Search: "بحث", SearchLabel: "ابحث في الأخبار",
		SearchPlaceholder: "اكتب كلمات البحث", SearchButton: "ابحث",
		Published: "تاريخ النشر", Updated: "آخر تحديث", Source: "المصدر", Agency: "نقلاً عن", Author: "الكاتب",
		Keywords: "كلمات دلالية", Entities: "أسماء في الخبر", ReadAlso: "اقرأ أيضاً", OtherVersions: "تغطيات أخرى للخبر",
		AllVersions: "كل التغطيات", OriginalArticle: "اقرأ المقال في موقعه الأصلي", CopyOf: "هذا المقال نسخة من",
		TopStories: "أبرز القصص", Latest: "آخر الأخبار", Trending: "الأكثر تداولاً",
		TrendingTags: "مواضيع", TrendingEntities: "أسماء", LaterDevelopments: "تطورات لاحقة",
		Outlets: "عدد المصادر", Versions: "عدد التغطيات", FirstReport: "أول تقرير", LastReport: "آخر تقرير",
		Results: "عدد النتائج", NoResults: "لا توجد نتائج لهذا البحث.", Page: "صفحة", PrevPage: "السابق",
		NextPage: "التالي", Pagination: "التنقل بين الصفحات",
		AllSources: "كل المصادر", FeedURL: "رابط التغذية", Site: "الموقع", LastFetch: "آخر جلب",
		NextFetch: "الجلب التالي", Articles: "المقالات", Failing: "متعطل", Working: "يعمل",
		NeverFetched: "لم يُجلب بعد", ErrorLabel: "الخطأ", SourcesFailing: "مصادر متعطلة",
		Tag: "كلمة دلالية", NoArticles: "لا توجد مقالات هنا بعد.", Entity: "اسم", Aliases: "يُذكر أيضاً باسم",
		AppearsWith: "يَرِد مع", Story: "قصة", StoryVersions: "تغطيات القصة",
		Persons: "أشخاص", Places: "أماكن", Orgs: "هيئات ومنظمات", Others: "أخرى",
		NotFoundTitle: "الصفحة غير موجودة", NotFoundText: "لم نجد ما تبحث عنه. ربما حُذف أو أن الرابط غير صحيح.",
		BackHome:   "العودة إلى الرئيسية",
		ErrorTitle: "حدث خطأ", ErrorText: "تعذر عرض هذه الصفحة الآن. حاول مرة أخرى بعد قليل.",
		Feeds: "تغذيات", FeedRSS: "RSS", FeedAtom: "Atom", FeedJSON: "JSON Feed",
		Language: "اللغة", OtherLang: "English", Digits: "الأرقام", DigitsArab: "٠١٢٣", DigitsLatn: "0123",
		APIDocs:     "واجهة البرمجة",
		SearchEmpty: "اكتب كلمة أو أكثر للبحث في كل المقالات.", SourceFilter: "المصدر", AnySource: "كل المصادر",
		AddSource: "إضافة مصدر", ImportOPML: "استيراد قائمة OPML", ExportOPML: "تصدير المصادر (OPML)",
		Token: "رمز الإدارة", TitleOptional: "الاسم (اختياري)", AddButton: "أضف", ImportButton: "استورد", OPMLFile: "ملف OPML",
		WritesDisabled: "الإضافة والحذف معطلان على هذا الخادم.", BadToken: "رمز الإدارة غير صحيح.", SourceExists: "المصدر موجود من قبل",
		SourceAdded: "أضيف المصدر", Imported: "أضيف", AlreadyThere: "موجود من قبل", Refused: "مرفوض", PerDay: "الأعمدة: المقالات يومياً في الأسبوعين الأخيرين.", Status: "الحالة",
		Alerts: "التنبيهات", AlertsIntro: "احفظ بحثاً ليصلك كل مقال جديد يطابقه مرة واحدة: عبر رابط ويب أو البريد أو تغذية RSS.",
		AlertQuery: "عبارة البحث", Webhook: "رابط ويب يستقبل المقالات (اختياري)", Email: "البريد الإلكتروني (اختياري)",
		CreateAlert: "أنشئ التنبيه", AlertCreated: "أُنشئ التنبيه", AlertFeed: "تغذية التنبيه", AlertThis: "أنشئ تنبيهاً لهذا البحث",
		QueryTooLong: "عبارة البحث طويلة جداً: ٥٠٠ حرف على الأكثر.", InvalidQuery: "تعذر فهم عبارة البحث",
		PartialResults: "نتائج تطابق بعض الكلمات: لا يحوي أي خبر كل كلمات البحث.",
		Login:          "الدخول", Logout: "خروج", LoginButton: "ادخل",
		LoginIntro: "ادخل باسمك وكلمة مرورك لتتابع الأخبار وتعلّم ما قرأت، أو برمز الإدارة لتضيف المصادر والتنبيهات أو تحذفها. القراءة متاحة للجميع دون دخول.",
		Filters:    "تضييق البحث", FromDate: "من تاريخ", ToDate: "إلى تاريخ", CountryFilter: "البلد",
		AnyCountry: "كل البلدان", KindFilter: "نوع المصدر", AnyKind: "كل الأنواع", TagFilter: "كلمة دلالية",
		EntityFilter: "اسم", BadFilter: "لا يمكن قراءة هذا القيد", Explore: "استكشاف التغطية",
		ExploreIntro: "كم غُطّي الموضوع، ومتى، وأين، ومن غطّاه. الأعداد للمقالات التي تحوي كل كلمات البحث.",
		OverTime:     "التغطية عبر الزمن", ByOutlet: "حسب المصدر", ByCountry: "حسب البلد", Share: "النسبة من كل المقالات",
		Count: "عدد المقالات", DateLabel: "الفترة", Interval: "الفترة الزمنية", Day: "يوم", Week: "أسبوع", Month: "شهر",
		ExportCSV: "تنزيل كل النتائج (CSV)", TopNames: "أبرز الأسماء", TopTags: "أبرز المواضيع", CompareWith: "قارن مع",
		ExploreThis: "استكشف التغطية", AlertPage: "تنبيه محفوظ", NoMatches: "لا توجد مقالات تحوي كل كلمات البحث.",
		ChartOf:      "رسم بياني:",
		LoginToWrite: "سجّل الدخول برمز الإدارة لتضيف أو تحذف.", LoggedIn: "أنت مسجّل الدخول مشرفاً.",
		BadLogin: "الاسم أو كلمة المرور غير صحيحة.", AdminOnly: "هذا للمشرف وحده: سجّل الدخول برمز الإدارة.",
		NameOptional: "اسم المستخدم (اتركه فارغاً مع رمز الإدارة)", Password: "كلمة المرور أو رمز الإدارة",
		MyNews: "أخباري", MyNewsIntro: "أخبار ما تتابعه من مصادر ووسوم وأسماء، مجمّعة حسب القصة.",
		MarkRead: "قرأته", MarkUnread: "لم أقرأه", Star: "ميّزه بنجمة", Unstar: "أزل النجمة",
		Follow: "تابِع", Unfollow: "ألغِ المتابعة", Following: "ما تتابعه",
		MarkAllRead: "علّم الكل مقروءاً", NothingFollowed: "لا أخبار غير مقروءة فيما تتابعه. تابع مصدراً أو وسماً أو اسماً من صفحته.",
		LoggedInAs: "أنت مسجّل الدخول باسم", Unread: "غير مقروء",
		AdminNoReading: "للمشرف حالة قراءة؟ لا: ادخل باسم مستخدم لتتابع الأخبار وتعلّم ما قرأت.",
		CSRFFailed:     "رُفض الطلب: النموذج منتهي الصلاحية أو لم يُرسَل من هذا الموقع. حدّث الصفحة وأعد المحاولة.",
		Remove:         "احذف", SourceRemoved: "حُذف المصدر", AlertRemoved: "حُذف التنبيه", SavedAlerts: "التنبيهات المحفوظة",
		NoAlerts: "لا توجد تنبيهات محفوظة.",
		Months:   [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
	}
	stringsEN = &Strings{
		Lang: "en", Dir: "ltr",
		Coverage: "Who covers this story", Countries: "Countries", BrokeBy: "First to report", WhoCopied: "Who copied whom",
		CopiesOf: "copied by", CreditsAgency: "credited source", Summary: "Summary", OutletAdds: "What each outlet adds",
		NumbersLabel: "Numbers", NamesLabel: "Names", Quotes: "Who said what", Timeline: "Timeline",
		UpdateLabel: "update", OneSided: "One-sided coverage",
		OneSidedNote: "Stories covered by three or more outlets, all from one country or of one kind, while other outlets publish in the same days",
		KindWire:     "news agency", KindState: "state media", KindPublic: "public media", KindPrivate: "private media",
		SiteName: "Khabar", Tagline: "Arabic news from its sources, in one place",
		DescAbout: "The latest Arabic news about %s", DescSearch: "Arabic news matching “%s”",
		DescStory: "%s: every outlet's coverage of this story", DescSources: "The outlets Khabar collects Arabic news from, and how each is doing",
		SkipToContent: "Skip to content", MainNav: "Main menu",
		Home: "Home", Sources: "Sources", Search: "Search", SearchLabel: "Search the news",
		SearchPlaceholder: "Search words", SearchButton: "Search",
		Published: "Published", Updated: "Updated", Source: "Source", Agency: "Via", Author: "By",
		Keywords: "Tags", Entities: "Names in this story", ReadAlso: "Read also", OtherVersions: "Other coverage",
		AllVersions: "All coverage", OriginalArticle: "Read the original article", CopyOf: "This article is a copy of",
		TopStories: "Top stories", Latest: "Latest news", Trending: "Trending",
		TrendingTags: "Topics", TrendingEntities: "Names", LaterDevelopments: "Later developments",
		Outlets: "Outlets", Versions: "Versions", FirstReport: "First report", LastReport: "Latest report",
		Results: "Results", NoResults: "No results for this search.", Page: "Page", PrevPage: "Previous",
		NextPage: "Next", Pagination: "Pagination",
		AllSources: "All sources", FeedURL: "Feed URL", Site: "Site", LastFetch: "Last fetch",
		NextFetch: "Next fetch", Articles: "Articles", Failing: "Failing", Working: "Working",
		NeverFetched: "Not fetched yet", ErrorLabel: "Error", SourcesFailing: "failing sources",
		Tag: "Tag", NoArticles: "No articles here yet.", Entity: "Name", Aliases: "Also known as",
		AppearsWith: "Appears with", Story: "Story", StoryVersions: "Coverage of this story",
		Persons: "People", Places: "Places", Orgs: "Organizations", Others: "Other",
		NotFoundTitle: "Page not found", NotFoundText: "We could not find what you are looking for.",
		BackHome:   "Back to the home page",
		ErrorTitle: "Something went wrong", ErrorText: "This page cannot be shown right now. Please try again shortly.",
		Feeds: "Feeds", FeedRSS: "RSS", FeedAtom: "Atom", FeedJSON: "JSON Feed",
		Language: "Language", OtherLang: "العربية", Digits: "Digits", DigitsArab: "٠١٢٣", DigitsLatn: "0123",
		APIDocs:     "API",
		SearchEmpty: "Type one or more words to search every article.", SourceFilter: "Source", AnySource: "All sources",
		AddSource: "Add a source", ImportOPML: "Import an OPML list", ExportOPML: "Export sources (OPML)",
		Token: "Admin token", TitleOptional: "Name (optional)", AddButton: "Add", ImportButton: "Import", OPMLFile: "OPML file",
		WritesDisabled: "Adding and removing is disabled on this server.", BadToken: "The admin token is wrong.", SourceExists: "This source exists already",
		SourceAdded: "Source added", Imported: "Added", AlreadyThere: "Already there", Refused: "Refused", PerDay: "Bars: articles per day over the last two weeks.", Status: "Status",
		Alerts: "Alerts", AlertsIntro: "Save a search to receive each new matching article once: by webhook, email or an RSS feed.",
		AlertQuery: "Search", Webhook: "Webhook URL (optional)", Email: "Email (optional)",
		CreateAlert: "Create the alert", AlertCreated: "Alert created", AlertFeed: "Alert feed", AlertThis: "Create an alert for this search",
		QueryTooLong: "The search is too long: 500 characters at most.", InvalidQuery: "The search could not be understood",
		PartialResults: "Results that match some of the words: no article holds them all.",
		Login:          "Log in", Logout: "Log out", LoginButton: "Log in",
		LoginIntro: "Log in with your name and password to follow news and keep what you read, or with the admin token to add or remove sources and alerts. Reading needs no login.",
		Filters:    "Narrow the search", FromDate: "From", ToDate: "To", CountryFilter: "Country",
		AnyCountry: "All countries", KindFilter: "Outlet kind", AnyKind: "All kinds", TagFilter: "Tag",
		EntityFilter: "Name", BadFilter: "This filter cannot be read", Explore: "Explore coverage",
		ExploreIntro: "How much a subject is covered, when, where and by whom. Counts are of the articles holding every word of the search.",
		OverTime:     "Coverage over time", ByOutlet: "By outlet", ByCountry: "By country", Share: "Share of all articles",
		Count: "Articles", DateLabel: "Period", Interval: "Interval", Day: "day", Week: "week", Month: "month",
		ExportCSV: "Download every result (CSV)", TopNames: "Top names", TopTags: "Top tags", CompareWith: "Compare with",
		ExploreThis: "Explore coverage", AlertPage: "Saved alert", NoMatches: "No article holds every word of the search.",
		ChartOf:      "Chart:",
		LoginToWrite: "Log in with the admin token to add or remove.", LoggedIn: "You are logged in as the admin.",
		BadLogin: "Wrong name or password.", AdminOnly: "This is for the admin only: log in with the admin token.",
		NameOptional: "User name (leave empty with the admin token)", Password: "Password or admin token",
		MyNews: "My news", MyNewsIntro: "News of the sources, tags and names you follow, grouped by story.",
		MarkRead: "Mark read", MarkUnread: "Mark unread", Star: "Star", Unstar: "Unstar",
		Follow: "Follow", Unfollow: "Unfollow", Following: "You follow",
		MarkAllRead: "Mark all read", NothingFollowed: "No unread news in what you follow. Follow a source, tag or name from its page.",
		LoggedInAs: "You are logged in as", Unread: "unread",
		AdminNoReading: "The admin has no reading state: log in with a user name to follow news and keep what you read.",
		CSRFFailed:     "Request refused: the form has expired or was not sent from this site. Reload the page and try again.",
		Remove:         "Remove", SourceRemoved: "Source removed", AlertRemoved: "Alert removed", SavedAlerts: "Saved alerts",
		NoAlerts: "No saved alerts.",
		Months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
)

// Digit systems for displayed numbers.
const (
	DigitsArab = "arab" // Arabic-Indic: ٠١٢٣٤٥٦٧٨٩
	DigitsLatn = "latn" // Western: 0123456789
)

// ToArabicDigits replaces ASCII digits with Arabic-Indic ones.
func ToArabicDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '٠' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FormatDate writes t as a day, a month name and a year ("٢ مارس ٢٠٢٤",
// "2 مارس 2024", "2 March 2024"), adding the time of day (", 14:05") when
// withTime is set and t is not exactly midnight, which is how dates known
// only to the day are stored. The zero time gives "".
func FormatDate(t time.Time, s *Strings, digits string, loc *time.Location, withTime bool) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	hasTime := hasClock(t)
	t = t.In(loc)
	var b strings.Builder
	b.WriteString(strconv.Itoa(t.Day()))
	b.WriteByte(' ')
	b.WriteString(s.Months[t.Month()-1])
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(t.Year()))
	if withTime && hasTime {
		if s.Lang == "ar" {
			b.WriteString("، ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(t.Format("15:04"))
	}
	if digits == DigitsArab {
		return ToArabicDigits(b.String())
	}
	return b.String()
}

// hasClock reports whether t carries a time of day: dates known only to
// the day are stored at midnight UTC.
func hasClock(t time.Time) bool {
	t = t.UTC()
	return t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0
}

// zoneLabel names loc for readers: "GMT" for UTC (as Arabic news sites
// print it), else its abbreviation such as "+03".
func zoneLabel(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	name, off := t.In(loc).Zone()
	if off == 0 {
		return "GMT"
	}
	return name
}

// hijriMonths are the months of the Islamic calendar.
var hijriMonths = [12]string{"محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
	"رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"}

// FormatHijri writes the Umm al-Qura (Saudi official) date of t's day in
// loc, e.g. "٢١ شعبان ١٤٤٥هـ", with the calendar of package dates (its
// table covers 1882-2077; outside it the arithmetic calendar stands in);
// "" for the zero time.
func FormatHijri(t time.Time, digits string, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := dates.ToHijri(t.In(loc))
	if m < 1 || m > 12 || y < 1 {
		return ""
	}
	s := strconv.Itoa(d) + " " + hijriMonths[m-1] + " " + strconv.Itoa(y) + "هـ"
	if digits == DigitsArab {
		return ToArabicDigits(s)
	}
	return s
}
