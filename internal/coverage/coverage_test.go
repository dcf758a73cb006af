package coverage

import (
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
)

var t0 = time.Date(2015, 8, 1, 9, 0, 0, 0, time.UTC)

var profiles = map[string]model.Outlet{
	"was":      {Key: "was", NameAR: "وكالة الأنباء السعودية", Country: "SA", Kind: model.OutletWire},
	"alriyadh": {Key: "alriyadh", NameAR: "الرياض", Country: "SA", Kind: model.OutletPrivate},
	"okaz":     {Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: model.OutletPrivate},
	"aawsat":   {Key: "aawsat", NameAR: "الشرق الأوسط", Country: "GB", Kind: model.OutletPrivate},
}

func prof(k string) (model.Outlet, bool) { o, ok := profiles[k]; return o, ok }

const wireText = `أعلنت وزارة الصحة اليوم تسجيل حالات جديدة من فيروس كورونا في مدينة الرياض خلال الأسبوع الماضي.

وقال وزير الصحة خالد الفالح في مؤتمر صحفي: «نعمل على احتواء الفيروس بكل الإمكانات المتاحة في جميع المستشفيات».

وأضاف: «لا داعي للقلق فالوضع تحت السيطرة الكاملة».

وأوضحت الوزارة أن فرق التقصي تتابع المخالطين في المنازل والمستشفيات والمراكز الصحية.`

const ownText = `سجلت المملكة 12 إصابة جديدة بفيروس كورونا في الرياض، بينها ثلاث حالات لعاملين في القطاع الصحي.

وأكد خبير الأوبئة طارق مدني أن انتشار العدوى داخل المستشفيات يثير قلقا بالغا لدى الأطباء في العاصمة.

وقال مدني للصحيفة إن «مكافحة العدوى في أقسام الطوارئ تحتاج إلى مراجعة عاجلة وشاملة».

وتتابع وزارة الصحة المخالطين في المنازل والمستشفيات والمراكز الصحية منذ مطلع الشهر.`

func story() []model.Article {
	wire := model.Article{ID: 1, Outlet: "was", SourceName: "was", OutletName: "وكالة الأنباء السعودية", Agency: "واس",
		Title: "الصحة: حالات كورونا جديدة", Text: wireText, Published: t0, Modified: t0.Add(2 * time.Hour),
		Entities: []model.Entity{{Name: "خالد الفالح", Type: model.EntityPerson, Mentions: []string{"خالد الفالح"}}}}
	copy1 := wire
	copy1.ID, copy1.Outlet, copy1.SourceName, copy1.OutletName, copy1.DuplicateOf = 2, "alriyadh", "alriyadh", "الرياض", 1
	copy1.Published, copy1.Modified, copy1.Agency, copy1.SourceID = t0.Add(time.Hour), time.Time{}, "", 7
	copy2 := wire
	copy2.ID, copy2.Outlet, copy2.SourceName, copy2.OutletName, copy2.DuplicateOf = 3, "okaz", "okaz", "عكاظ", 1
	copy2.Published, copy2.Modified = t0.Add(90*time.Minute), time.Time{}
	own := model.Article{ID: 4, Outlet: "aawsat", SourceName: "aawsat", OutletName: "الشرق الأوسط", Title: "12 إصابة جديدة بكورونا",
		Text: ownText, Published: t0.Add(3 * time.Hour),
		Entities: []model.Entity{{Name: "طارق مدني", Type: model.EntityPerson, Mentions: []string{"طارق مدني", "مدني"}}}}
	// Out of order on purpose.
	return []model.Article{own, copy2, wire, copy1}
}

func TestCompute(t *testing.T) {
	d := Compute(story(), prof)
	if len(d.Coverage.Outlets) != 4 {
		t.Fatalf("coverage outlets %+v", d.Coverage.Outlets)
	}
	if o := d.Coverage.Outlets[0]; o.Outlet != "was" || o.Source != "وكالة الأنباء السعودية" || o.Country != "SA" || o.Kind != "wire" ||
		o.Articles != 1 || !o.FirstPublished.Equal(t0) {
		t.Errorf("first outlet %+v", o)
	}
	if o := d.Coverage.Outlets[1]; o.SourceID != 7 {
		t.Errorf("alriyadh source id %d", o.SourceID)
	}
	if c := d.Coverage.Countries; len(c) != 2 || c[0] != (model.CountryCount{Country: "SA", Outlets: 3}) || c[1].Country != "GB" {
		t.Errorf("countries %+v", c)
	}
	if f := d.FirstReport; f == nil || f.ArticleID != 1 || f.Source != "وكالة الأنباء السعودية" || !f.Published.Equal(t0) {
		t.Errorf("first report %+v", f)
	}
	if len(d.Origin) != 1 || d.Origin[0].ArticleID != 1 || d.Origin[0].Agency != "واس" || len(d.Origin[0].Copies) != 2 ||
		d.Origin[0].Copies[0].Source != "الرياض" {
		t.Errorf("origin %+v", d.Origin)
	}
	// 4 publications and the wire's update.
	if len(d.Timeline) != 5 || !d.Timeline[3].Update || d.Timeline[3].ArticleID != 1 {
		t.Errorf("timeline %+v", d.Timeline)
	}
	want := map[string]string{
		"نعمل على احتواء الفيروس بكل الإمكانات المتاحة في جميع المستشفيات": "خالد الفالح",
		"لا داعي للقلق فالوضع تحت السيطرة الكاملة":                         "خالد الفالح",
		"مكافحة العدوى في أقسام الطوارئ تحتاج إلى مراجعة عاجلة وشاملة":     "طارق مدني",
	}
	got := map[string]string{}
	for _, q := range d.Quotes {
		got[q.Text] = q.Speaker
	}
	for text, sp := range want {
		if got[text] != sp {
			t.Errorf("quote %q: speaker %q, want %q (all: %+v)", text, got[text], sp, d.Quotes)
		}
	}
	checkSummary(t, d.Summary, story())
	var aawsat *model.OutletAdds
	for i := range d.Adds {
		if d.Adds[i].Source == "الشرق الأوسط" {
			aawsat = &d.Adds[i]
		}
	}
	if aawsat == nil || !contains(aawsat.Numbers, "12") || !contains(aawsat.Names, "طارق مدني") || len(aawsat.Sentences) == 0 {
		t.Errorf("adds of الشرق الأوسط: %+v (all %+v)", aawsat, d.Adds)
	}
}

// checkSummary checks what must hold of every summary: 3 to 5 sentences,
// each verbatim from the article it cites, no two sharing more than half
// of their words, from more than one outlet.
func checkSummary(t *testing.T, sum []model.SummarySentence, arts []model.Article) {
	t.Helper()
	if len(sum) < 3 || len(sum) > 5 {
		t.Fatalf("summary of %d sentences: %+v", len(sum), sum)
	}
	byID := map[int64]model.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	sources := map[string]bool{}
	for i, s := range sum {
		a, ok := byID[s.ArticleID]
		if !ok || !strings.Contains(a.Text, s.Text) || s.Source != a.DisplaySource() {
			t.Errorf("sentence %d not verbatim from its cited article %d: %q", i, s.ArticleID, s.Text)
		}
		sources[s.Source] = true
		for _, o := range sum[:i] {
			if overlap(contentWords(s.Text), contentWords(o.Text)) > maxShared || overlap(allWords(s.Text), allWords(o.Text)) > maxShared {
				t.Errorf("near repeats: %q / %q", s.Text, o.Text)
			}
		}
	}
	if len(sources) < 2 {
		t.Errorf("summary cites one outlet: %+v", sum)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestSummaryOnlyForBigStories(t *testing.T) {
	arts := story()
	if s := Summary(arts[:2]); s != nil {
		t.Errorf("two articles got a summary: %+v", s)
	}
	one := arts[1:]
	for i := range one {
		one[i].Outlet = "was"
	}
	if s := Summary(one); s != nil {
		t.Errorf("one outlet got a summary: %+v", s)
	}
}

func TestQuotes(t *testing.T) {
	ents := []model.Entity{{Name: "عادل الجبير", Type: model.EntityPerson, Mentions: []string{"عادل الجبير", "الجبير"}},
		// A tagger's mistake: a name's tail as a name of its own.
		{Name: "رافت", Type: model.EntityPerson, Mentions: []string{"رافت"}}}
	for _, tc := range []struct {
		name, text string
		want       []model.Quote
	}{
		{"verb, name, colon", `وقال وزير الخارجية عادل الجبير: «المملكة ماضية في دعم الشرعية في اليمن».`,
			[]model.Quote{{Speaker: "عادل الجبير", Text: "المملكة ماضية في دعم الشرعية في اليمن"}}},
		{"added, last speaker", "أكد الجبير أن الحل سياسي.\n\nوأضاف: \"لن نقبل بأي تدخل في شؤون المنطقة\".",
			[]model.Quote{{Speaker: "عادل الجبير", Text: "لن نقبل بأي تدخل في شؤون المنطقة"}}},
		{"curly quotes, described speaker", `وقال مصدر مسؤول في الوزارة “إن الاجتماع سيعقد الأسبوع المقبل في جدة”.`,
			[]model.Quote{{Speaker: "مصدر مسؤول في الوزارة", Text: "إن الاجتماع سيعقد الأسبوع المقبل في جدة"}}},
		{"a name is no quotation", `وقال الأحمدي لـ«الشرق الأوسط» إن المعارك مستمرة. ونشرت صحيفة «ديلي تايمز البريطانية اليوم» تقريرا.`, nil},
		{"scare quotes", `وتحدث التقرير عن «الغضب» و«الألم الكبير» في القرية.`, nil},
		{"no speech verb", `وصل الوفد إلى «مركز الملك عبدالعزيز الثقافي العالمي» صباح اليوم.`, nil},
		{"speaker after the outlet spoken to", `وأكد لـ«اليوم» مصدر مطلع أن الاتفاق قريب. وقال: «سيوقع الطرفان العقد خلال أيام».`,
			[]model.Quote{{Speaker: "مصدر مطلع", Text: "سيوقع الطرفان العقد خلال أيام"}}},
		{"position, comma, name", `وقالت رئيسة لجنة الصحة في البرلمان، سارة المطيري: «نحتاج إلى مستشفيات جديدة في الأطراف».`,
			[]model.Quote{{Speaker: "سارة المطيري", Text: "نحتاج إلى مستشفيات جديدة في الأطراف"}}},
		{"quoted through an agency", `ونقلت وكالة الأنباء عن المتحدث باسم الشرطة خالد الحربي: «تم القبض على المشتبه بهم».`,
			[]model.Quote{{Speaker: "المتحدث باسم الشرطة خالد الحربي", Text: "تم القبض على المشتبه بهم"}}},
		{"علي is a name", `وقال الكاتب علي الموسى: «التعليم يحتاج إلى مراجعة شاملة».`,
			[]model.Quote{{Speaker: "الكاتب علي الموسى", Text: "التعليم يحتاج إلى مراجعة شاملة"}}},
		{"a statement noun", `واكتفى الناطق باسم الشرطة، في رده على سؤال، بالتأكيد على أن «التحقيقات ما زالت جارية».`,
			[]model.Quote{{Speaker: "الناطق باسم الشرطة", Text: "التحقيقات ما زالت جارية"}}},
		{"the writer named before", "وكتب الكاتب الصحفي فهد العتيبي في مقال عن الأزمة أن الحلول متأخرة.\n\nويتساءل الكاتب: «من يتحمل مسؤولية ما جرى؟»",
			[]model.Quote{{Speaker: "الكاتب الصحفي فهد العتيبي", Text: "من يتحمل مسؤولية ما جرى؟"}}},
		{"a speaker in quotation marks", `وأكد «الأزهر» في بيان أمس أن «الإرهاب لا دين له ولا وطن».`,
			[]model.Quote{{Speaker: "الأزهر", Text: "الإرهاب لا دين له ولا وطن"}}},
		{"by the sources", "بحسب المصادر، فقد «سمعت أصوات انفجارات في المنطقة».",
			[]model.Quote{{Speaker: "المصادر", Text: "سمعت أصوات انفجارات في المنطقة"}}},
		{"the statement is its issuer's", "وقالت وزارة الصحة في بيان: «ارتفع عدد الإصابات إلى عشرين».\n\nوقال البيان: «سيتم فتح مراكز جديدة للفحص».",
			[]model.Quote{{Speaker: "وزارة الصحة", Text: "ارتفع عدد الإصابات إلى عشرين"}, {Speaker: "وزارة الصحة", Text: "سيتم فتح مراكز جديدة للفحص"}}},
		{"a paragraph opened by a participle", "وقال الجبير إن الحل سياسي.\n\nمؤكدا أهمية الحوار، قائلا: «لا بديل عن التفاوض بين الأطراف».",
			[]model.Quote{{Speaker: "عادل الجبير", Text: "لا بديل عن التفاوض بين الأطراف"}}},
		{"a position, then its holder", `وقال وزير الخارجية السعودي الأستاذ عادل الجبير إن «المملكة لن تتراجع عن موقفها».`,
			[]model.Quote{{Speaker: "عادل الجبير", Text: "المملكة لن تتراجع عن موقفها"}}},
		{"how, not who", "وقال الشيخ عوض القرني إن الأمة غافلة، وأضاف مستهجناً: «ماذا سنقول لأبنائنا وأحفادنا؟»",
			[]model.Quote{{Speaker: "الشيخ عوض القرني", Text: "ماذا سنقول لأبنائنا وأحفادنا؟"}}},
		{"a preposition with a pronoun", "أصدر وزير الخارجية عادل الجبير بيانا أوضح خلاله أن «المملكة تابعت التصريحات بأسى».",
			[]model.Quote{{Speaker: "عادل الجبير", Text: "المملكة تابعت التصريحات بأسى"}}},
		{"a position before a quoted name", `وأوضح مالك الحربي، رئيس «شركة الخليج للتقنية المتقدمة»، أن الشركة تتوسع.`, nil},
		{"a root و is no conjunction", `ودّعت محافظة ميسان "100 كيلو متر جنوب الطائف"، أمس، الشهيد.`, nil},
		{"a stray mark glued to a word", `وقال الشيخ محمد العريفي في تغريدة بموقع تويتر”: “لا يزال أبطال فلسطين يبيضون وجه الأمة”.`,
			[]model.Quote{{Speaker: "الشيخ محمد العريفي", Text: "لا يزال أبطال فلسطين يبيضون وجه الأمة"}}},
		{"إمام is no preposition", `وقال إمام المسجد الحرام سعود الشريم: «قتل المصلين غرسة من غراس المجوس».`,
			[]model.Quote{{Speaker: "إمام المسجد الحرام سعود الشريم", Text: "قتل المصلين غرسة من غراس المجوس"}}},
		{"a name past the words bound", `وقال إمام وخطيب المسجد الحرام الدكتور عادل الجبير: «الإرهاب لا دين له».`,
			[]model.Quote{{Speaker: "عادل الجبير", Text: "الإرهاب لا دين له"}}},
		{"the subject before the verb", `استشاري أمراض القلب بمستشفى الملك فهد الذي يختبر العلاج قال «العلاج الجديد يمثل تقدما كبيرا للمرضى».`,
			[]model.Quote{{Speaker: "استشاري أمراض القلب بمستشفى الملك فهد", Text: "العلاج الجديد يمثل تقدما كبيرا للمرضى"}}},
		{"the object after the subject", `وتصف الكاتبة شيئا من حياتها: «كنت أقرأ كل يوم».`,
			[]model.Quote{{Speaker: "الكاتبة", Text: "كنت أقرأ كل يوم"}}},
		{"the paper named in marks", `ونشرت صحيفة "نيويورك تايمز" نعيا. وتصف الصحيفة شيئا من سيرته: "كان قويا وهادئا ومتحدثا لبقا".`,
			[]model.Quote{{Speaker: "نيويورك تايمز", Text: "كان قويا وهادئا ومتحدثا لبقا"}}},
		{"a name between two commas, then أن", "وأوضح المتحدث الإعلامي لصحة المنطقة، أسعد سعود، أن الحالة معروفة.\n\nوتابع: «بدأت الإدارة التحقيق في الشكوى».",
			[]model.Quote{{Speaker: "أسعد سعود", Text: "بدأت الإدارة التحقيق في الشكوى"}}},
		{"القول is no name", `ونقلت الوكالة عن المتحدث القول إن "الزيارة أجلت إلى موعد لاحق".`,
			[]model.Quote{{Speaker: "المتحدث", Text: "الزيارة أجلت إلى موعد لاحق"}}},
		{"describing oneself is no saying", `مغرد يصف نفسه بالعروبي كتب: «لا يوجد تخلف لدى العرب».`,
			[]model.Quote{{Speaker: "مغرد", Text: "لا يوجد تخلف لدى العرب"}}},
		{"a speaker in marks before a colon", `وقال "البرقان": "سأذكر لكم موجز ما دار".`,
			[]model.Quote{{Speaker: "البرقان", Text: "سأذكر لكم موجز ما دار"}}},
		{"a mark glued to و opens", `وقال الخطيب "من قتل معاهدا لم يرح رائحة الجنة" و"من آذى ذميا فأنا خصمه".`,
			[]model.Quote{{Speaker: "الخطيب", Text: "من قتل معاهدا لم يرح رائحة الجنة"}, {Speaker: "الخطيب", Text: "من آذى ذميا فأنا خصمه"}}},
		{"القول right before the quotation", "وأوضح الدكتور أنور سالم أن الوقاية أساس.\n\nوخلص إلى القول «لا يتوفر أي لقاح إلى الآن».",
			[]model.Quote{{Speaker: "الدكتور أنور سالم", Text: "لا يتوفر أي لقاح إلى الآن"}}},
		{"a preposition's phrase is no speaker", "وقال رئيس اللجنة بيتر مورير إن الأوضاع صعبة، ووصفها بالكارثية.\n\nوقال في بيان \"إن المرافق الصحية تضررت بشكل كبير\".",
			[]model.Quote{{Speaker: "رئيس اللجنة بيتر مورير", Text: "إن المرافق الصحية تضررت بشكل كبير"}}},
		{"what a preposition governs", `وذكرت مديرة الدار أن رؤيتها تتلخص في: "رعاية شاملة وتأهيل الفتاة".`, nil},
		{"the one before الذي spoke", "وأشارت تقديرات إلى ارتفاع الاستهلاك. وبالعودة إلى وزير الطاقة الإماراتي الذي بين أهمية القرار، حيث قال: «تحرير الأسعار سيعمل على ترشيد الاستهلاك».",
			[]model.Quote{{Speaker: "وزير الطاقة الإماراتي", Text: "تحرير الأسعار سيعمل على ترشيد الاستهلاك"}}},
		{"a delegate is a position", `وقال مندوب المملكة الدائم لدى الجامعة العربية السفير عادل الجبير في تصريح: «إن اللجنة ستجتمع غدا».`,
			[]model.Quote{{Speaker: "عادل الجبير", Text: "إن اللجنة ستجتمع غدا"}}},
		{"بقوله after the verb's subject", `وهو ما يؤكد عليه المخرج العلي بقوله: “حرصنا على تقديم عمل مختلف”.`,
			[]model.Quote{{Speaker: "المخرج العلي", Text: "حرصنا على تقديم عمل مختلف"}}},
		{"a mark after a full stop closes", "وقال المخرج: “صورنا في ألمانيا.” ويتابع العلي مُعقّباً على وصف أحد العاملين للعمل: “نحن لا ندعي بأننا نقدم عملا عالميا”.",
			[]model.Quote{{Speaker: "المخرج", Text: "صورنا في ألمانيا."}, {Speaker: "العلي", Text: "نحن لا ندعي بأننا نقدم عملا عالميا"}}},
		{"a name, its position, the verb", `مهاب مميش، رئيس هيئة القناة، قال في مقابلة "إن التجارة العالمية تتزايد".`,
			[]model.Quote{{Speaker: "مهاب مميش", Text: "إن التجارة العالمية تتزايد"}}},
		{"a body named between commas, then its description", "وتقول الشركة الاستشارية، كابيتال إيكونوميكس، القائمة في لندن إن التوقعات متفائلة.\n\nوتضيف الشركة الاستشارية \"بحسب تقديراتنا سترتفع التجارة\".",
			[]model.Quote{{Speaker: "كابيتال إيكونوميكس", Text: "بحسب تقديراتنا سترتفع التجارة"}}},
		{"وبحسب", `وبحسب بلير، من معهد سيجنيت "الاقتصاد يتحسن من حيث المعدلات".`,
			[]model.Quote{{Speaker: "بلير", Text: "الاقتصاد يتحسن من حيث المعدلات"}}},
		{"a verb's form after a preposition is a noun", "وقال المخرج إن العمل جديد.\n\nويتابع مُعلّقاً على وصف أحد العاملين للعمل: «نحن لا ندعي أننا نقدم عملا عالميا».",
			[]model.Quote{{Speaker: "المخرج", Text: "نحن لا ندعي أننا نقدم عملا عالميا"}}},
		{"a mention is whole words", `وقال قائد الشرطة، جيم كرافت: «إننا ندرس هذه الفرضية».`,
			[]model.Quote{{Speaker: "جيم كرافت", Text: "إننا ندرس هذه الفرضية"}}},
		{"a spokeswoman is a position", "وقالت تشارلا لورد المتحدثة باسم الشركة إن الشركة غير ملزمة.\n\nوقالت \"تركز الشركة الآن على الزراعة\".",
			[]model.Quote{{Speaker: "تشارلا لورد", Text: "تركز الشركة الآن على الزراعة"}}},
		{"a name after مع", `وأوضح المدير أن الإدارة تواصلت مع "حديقة فقيه أكواريوم المائية" لجدولة رحلة.`, nil},
		{"a proverb has no speaker", `والدولة تنفق الكثير، كما يقول المثل "المرعى أخضر لكن العنز مريضة"!`, nil},
		{"condemning is said", `واستنكر الأمين العام «التصريحات غير المسؤولة وصدورها من مسؤول».`,
			[]model.Quote{{Speaker: "الأمين العام", Text: "التصريحات غير المسؤولة وصدورها من مسؤول"}}},
		{"كان, a name, its description, the verb", "وكانت قوات الدفاع الشعبي، الجناح العسكري للحزب، دانت في بيان القصف.\n\nوقالت إن تركيا «أنهت من جانب واحد» وقف إطلاق النار.",
			[]model.Quote{{Speaker: "قوات الدفاع الشعبي", Text: "أنهت من جانب واحد"}}},
		{"a demonstrative opens the object", `واعتبر الحزب هذا القصف «عدوانا ينتهك شروط وقف إطلاق النار».`,
			[]model.Quote{{Speaker: "الحزب", Text: "عدوانا ينتهك شروط وقف إطلاق النار"}}},
		{"revealing is said", "كشف الفنان عاصي الحلاني أنه عرف الحقيقة منذ البداية. وأوضح \"قبل أن نصعد في الطائرة عرفت أن ما يحصل مقلب\".",
			[]model.Quote{{Speaker: "الفنان عاصي الحلاني", Text: "قبل أن نصعد في الطائرة عرفت أن ما يحصل مقلب"}}},
		{"a verbal noun is the object", "وأكد الأمير عادل الجبير أن الحادث إجرامي.\nوأكد استنكار وإدانة أهالي المنطقة لهذا العدوان الخطير.\nوقال: «إن أمن الوطن في أيد أمينة».",
			[]model.Quote{{Speaker: "عادل الجبير", Text: "إن أمن الوطن في أيد أمينة"}}},
		{"عن far before قوله", `ونقلت وسائل إعلام محلية عن ماجوميد دينييف من وزارة الداخلية الشيشانية في جروزني قوله:"من الصعب تصور ظهور المقاتلين أمام الشرطة".`,
			[]model.Quote{{Speaker: "ماجوميد دينييف", Text: "من الصعب تصور ظهور المقاتلين أمام الشرطة"}}},
		{"a verb's form after عدم is a noun", `وأفاد مصدر دبلوماسي تركي أن الزيارة تأجلت، وقال المصدر الذي طلب عدم كشف اسمه، "تم تأجيل الزيارة إلى موعد لاحق".`,
			[]model.Quote{{Speaker: "مصدر دبلوماسي تركي", Text: "تم تأجيل الزيارة إلى موعد لاحق"}}},
		{"a mention after a proclitic", `وقال والجبير في المؤتمر: «لن نقبل بأي تدخل في شؤون المنطقة».`,
			[]model.Quote{{Speaker: "عادل الجبير", Text: "لن نقبل بأي تدخل في شؤون المنطقة"}}},
		{"a festival concluded", `اختتم مهرجان عيد البكيرية "بسواعد شبابنا نرسم أفراحنا" فعالياته أمس.`, nil},
		{"a position by the adjective of its place", "أوضح عادل الجبير وزير الخارجية بالمملكة العربية السعودية أن الحل سياسي.\n\nوأكد وزير الخارجية السعودي «أن المملكة لن تتراجع عن موقفها».",
			[]model.Quote{{Speaker: "عادل الجبير", Text: "أن المملكة لن تتراجع عن موقفها"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Quotes(tc.text, ents)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("quote %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestLean(t *testing.T) {
	c := Compute(story()[1:], prof).Coverage // was, alriyadh, okaz: all SA
	if !LeanCandidate(c) {
		t.Fatalf("three Saudi outlets are no candidate: %+v", c.Outlets)
	}
	if l := Lean(c, []string{"was", "okaz"}, prof); l != "" {
		t.Errorf("no other country active, yet lean %q", l)
	}
	if l := Lean(c, []string{"was", "aawsat"}, prof); l != "country:SA" {
		t.Errorf("lean %q, want country:SA", l)
	}
	all := Compute(story(), prof).Coverage
	if LeanCandidate(all) {
		t.Errorf("SA and GB outlets are a candidate")
	}
}

func FuzzQuotes(f *testing.F) {
	f.Add(wireText)
	f.Add(ownText)
	f.Add("وقال: «")
	f.Add("«»\"\"“”")
	f.Add("«" + strings.Repeat("قال الوزير «نص» ", 50))
	f.Fuzz(func(t *testing.T, text string) {
		for _, q := range Quotes(text, nil) {
			if !strings.Contains(text, q.Text) || q.Speaker == "" {
				t.Fatalf("quote %+v not verbatim or without speaker", q)
			}
		}
	})
}

// FuzzSummary checks Summary and Adds. It is apart from FuzzQuotes:
// summing up three articles costs ten times more than finding quotes, and
// every input the fuzzer keeps is minimized by running the target again
// and again.
func FuzzSummary(f *testing.F) {
	f.Add(wireText)
	f.Add(ownText)
	f.Add("«»\"\"“”")
	f.Fuzz(func(t *testing.T, text string) {
		arts := []model.Article{{ID: 1, Outlet: "a", Text: text}, {ID: 2, Outlet: "b", Text: text + "\n\n" + ownText}, {ID: 3, Outlet: "c", Text: ownText}}
		for _, s := range Summary(arts) {
			if !strings.Contains(arts[s.ArticleID-1].Text, s.Text) {
				t.Fatalf("summary sentence %q not verbatim", s.Text)
			}
		}
		// What an outlet adds is its own text; one outlet adds nothing.
		for _, ad := range Adds(arts) {
			for _, s := range ad.Sentences {
				if a := arts[ad.ArticleID-1]; !strings.Contains(a.Title+"\n"+a.Text, s) {
					t.Fatalf("%s adds %q, not in its article", ad.Source, s)
				}
			}
		}
		for i := range arts {
			arts[i].Outlet = "a"
		}
		if ad := Adds(arts); len(ad) != 0 {
			t.Fatalf("one outlet adds %+v", ad)
		}
	})
}

// BenchmarkQuotesLongParagraph finds quotes in 250 KB paragraphs that used
// to take minutes: a sentence of 4,000 quotes, quotes after the verb, and
// marks that never close. Time per op should grow with the text's size,
// no faster.
func BenchmarkQuotesLongParagraph(b *testing.B) {
	ents := []model.Entity{{Name: "الوزير", Type: model.EntityPerson}}
	for name, unit := range map[string]string{
		"said-quote": "قال الوزير «نص نص نص في الرياض» ثم ",
		"quote-said": "\"نص طويل هنا جدا\" قال ",
		"unclosed":   "« ",
	} {
		text := strings.Repeat(unit, 250_000/len(unit))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Quotes(text, ents)
			}
		})
	}
}
