"""A worker on a phone: /report/ with a photo -> receipt -> /track/ -> the union resolves it ->
the rating form appears and the rating is saved. A retried submission makes one case."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case, CasePhoto
from stations.coords import wgs84_to_gcj02
from stations.models import Union
from tests.cases.photo_bytes import jpeg_with_gps
from tests.factories import make_area, make_staff, square

from .conftest import HOME, screenshot, small_tap_targets, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATEGORY = "wage_arrears"
RATED = {"zh": "您给答复评了 4 分", "en": "You rated the answer 4 of 5"}
OFFLINE = {"zh": "没有网络", "en": "No connection"}


@pytest.fixture
def district(db):
    return make_area(square(116.0, 39.5, 1.0), union="朝阳区总工会")


def fill_report(page, live_server, tmp_path):
    page.goto(live_server.url + reverse("cases:report"))
    page.select_option("#category", CATEGORY)
    page.fill("#description", "三个月没发工资 three months unpaid")
    page.click("#locate")
    page.wait_for_selector("#place-chosen.ws-ok")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps(2400, 1800))
    page.set_input_files("#photos", str(photo))


def resolve_as_staff(case: Case, union: Union) -> None:
    staff = APIClient()
    staff.force_authenticate(make_staff(union))
    url = reverse("cases:case-transitions", args=[case.reference])
    assert staff.post(url, {"action": "accept"}, format="json").status_code == 200
    answer = {"action": "resolve", "note": "已督促企业补发工资 the employer has paid"}
    assert staff.post(url, answer, format="json").status_code == 200


def test_report_with_a_photo_then_track_and_rate(phone, live_server, language, district, tmp_path):
    watched = watch(phone)
    page = watched.page
    fill_report(page, live_server, tmp_path)
    assert small_tap_targets(page) == []
    screenshot(page, "report", language)
    page.click("#submit")
    page.wait_for_selector("#receipt:not([hidden])")
    screenshot(page, "receipt", language)
    case = Case.objects.get()
    assert page.inner_text("#receipt-reference") == case.reference
    assert page.inner_text("#receipt-union") == "朝阳区总工会"
    link = page.get_attribute("#receipt-link", "href")
    assert link == f"/track/#{case.reference}.{case.tracking_token}"
    assert CasePhoto.objects.filter(case=case, width=1600, height=1200).count() == 1

    page.click("#receipt-link")
    page.wait_for_selector("#case:not([hidden])")
    assert case.reference in page.inner_text("#case-title")
    # the reporter's own photo, fetched with the token
    page.wait_for_selector("#case-photos img[src^='blob:']")
    width = page.evaluate("""async () => {
        const img = document.querySelector('#case-photos img');
        await img.decode();
        return img.naturalWidth;
    }""")
    assert width == 1600
    assert page.is_hidden("#rating-form")

    resolve_as_staff(case, district.union)
    page.reload()
    page.wait_for_selector("#rating-form:not([hidden])")
    assert "the employer has paid" in page.inner_text("#case-answer")
    assert small_tap_targets(page) == []
    page.click(".ws-stars label:nth-child(5)")  # the legend is the first child: this is 4
    page.fill("#comment", "满意 good")
    screenshot(page, "track-rating", language)
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("#rated:not([hidden])")
    assert RATED[language] in page.inner_text("#rated")
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "满意 good")
    screenshot(page, "track-rated", language)
    assert watched.errors == [] and watched.dialogs == [] and phone.outside == []


def test_a_retried_submission_makes_one_case(phone, live_server, language, district, tmp_path):
    watched = watch(phone)
    page = watched.page
    fill_report(page, live_server, tmp_path)
    # The first answer is lost on the way back: the case reaches the server, the phone sees a
    # network error (as fetch reports one), as on a train going into a tunnel.
    page.evaluate("""() => {
        const realFetch = window.fetch;
        let lose = true;
        window.fetch = (url, options) => {
            const answer = realFetch(url, options);
            if (!lose || !options || options.method !== "POST") return answer;
            lose = false;
            return answer.then(() => { throw new TypeError("Failed to fetch"); });
        };
    }""")
    page.click("#submit")
    page.wait_for_selector("#report-status.ws-error")
    assert OFFLINE[language] in page.inner_text("#report-status")
    assert Case.objects.count() == 1
    page.click("#submit")  # the same draft, the same client_token
    page.wait_for_selector("#receipt:not([hidden])")
    assert Case.objects.count() == 1
    assert page.inner_text("#receipt-reference") == Case.objects.get().reference
    assert CasePhoto.objects.count() == 1
    assert phone.outside == []


def test_an_address_with_the_district_picked_by_name(phone, live_server, language, district):
    make_area(square(117.0, 39.5, 1.0), name="海淀区", union="海淀区总工会")
    watched = watch(phone)
    page = watched.page
    page.goto(live_server.url + reverse("cases:report"))
    page.select_option("#category", CATEGORY)
    page.fill("#description", "工资拖欠 pay withheld")
    page.fill("#address", "中关村大街 1 号")
    page.fill("#district-search", "海淀")
    page.wait_for_selector("#district-choices input[value]")
    page.click("#district-choices label")
    assert "海淀区" in page.inner_text("#place-chosen")
    assert small_tap_targets(page) == []
    page.click("#submit")
    page.wait_for_selector("#receipt:not([hidden])")
    assert page.inner_text("#receipt-union") == "海淀区总工会"
    case = Case.objects.get()
    assert case.area.name == "海淀区" and case.address == "中关村大街 1 号"
    assert watched.errors == [] and phone.outside == []


def test_a_report_written_offline_is_sent_when_back_online(phone, live_server, language, district,
                                                            tmp_path):
    watched = watch(phone)
    page = watched.page
    fill_report(page, live_server, tmp_path)
    phone.set_offline(True)
    page.click("#submit")
    page.wait_for_selector("#report-status.ws-error")
    assert OFFLINE[language] in page.inner_text("#report-status")
    assert Case.objects.count() == 0
    # The draft is on the device: a reload keeps what was typed.
    draft = page.evaluate("JSON.parse(localStorage.getItem('waystation.report.draft'))")
    assert draft["description"] == "三个月没发工资 three months unpaid" and draft["pending"]
    phone.set_offline(False)  # the browser fires "online": the page sends by itself
    page.wait_for_selector("#receipt:not([hidden])")
    case = Case.objects.get()
    assert case.client_token == draft["client_token"] and case.photos.count() == 1
    assert page.evaluate("localStorage.getItem('waystation.report.draft')") is None
    assert phone.outside == []


def test_a_draft_with_its_photo_survives_closing_the_page(phone, live_server, language, district,
                                                          tmp_path):
    page = watch(phone).page
    fill_report(page, live_server, tmp_path)
    phone.set_offline(True)
    page.click("#submit")
    page.wait_for_selector("#report-status.ws-error")
    # The photo is written to IndexedDB as it is chosen; a person takes longer than that.
    assert page.evaluate("""() => new Promise(done => {
        const look = (tries) => {
            const open = indexedDB.open("waystation-report", 1);
            open.onsuccess = () => {
                const get = open.result.transaction("photos").objectStore("photos").get("draft");
                get.onsuccess = () => {
                    const kept = get.result ? get.result.length : 0;
                    open.result.close();
                    kept || !tries ? done(kept) : setTimeout(() => look(tries - 1), 50);
                };
            };
        };
        look(100);
    })""") == 1
    page.close()  # the rider gives up for now
    phone.set_offline(False)
    watched = watch(phone)
    page = watched.page
    page.goto(live_server.url + reverse("cases:report"))
    page.wait_for_selector("#photos-kept:not(:empty)")
    assert page.input_value("#description") == "三个月没发工资 three months unpaid"
    assert page.input_value("#category") == CATEGORY
    page.click("#submit")
    page.wait_for_selector("#receipt:not([hidden])")
    case = Case.objects.get()
    assert case.photos.count() == 1 and case.location is not None
    assert watched.errors == [] and phone.outside == []


def test_on_gcj02_tiles_the_fix_is_drawn_shifted_and_sent_as_wgs84(phone, live_server, language,
                                                                    district, settings):
    settings.MAP_TILES_CRS = "gcj02"
    page = watch(phone).page
    page.goto(live_server.url + reverse("cases:report"))
    page.click("#locate")
    page.wait_for_selector("#place-chosen.ws-ok")
    place = page.evaluate("JSON.parse(localStorage.getItem('waystation.report.draft')).place")
    g_lon, g_lat = wgs84_to_gcj02(*HOME)
    assert (place["lon"], place["lat"], place["crs"]) == (pytest.approx(HOME[0]),
                                                          pytest.approx(HOME[1]), "wgs84")
    assert (place["drawLon"], place["drawLat"]) == (pytest.approx(g_lon, abs=1e-9),
                                                    pytest.approx(g_lat, abs=1e-9))
