"""Lexicon rows for readings the event lexicon used to miss: each group fires on sentences of its own with the
expected code, and stays silent on near misses (other senses of the word, business and sport uses, non-events)."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire.model import EventMention
from eventwire.pipeline import Pipeline


def _events(pipeline: Pipeline, text: str) -> list[EventMention]:
    """The events of a text dated 2024-01-10, with the default pipeline."""
    return annotated(pipeline, text).events


def _seen(events: list[EventMention]) -> list[tuple[str, list[str], list[str], str]]:
    """What was found, for assertion messages."""
    return [(e.code, e.source, e.target, e.trigger.text) for e in events]


# (text, code, source, target): source and target are checked when given.
FIRES = [
    # Killings named by a noun, or by `slay`, with their agent: conventional force (190); a targeted killing
    # singles out a person (186); lynching is killing by physical assault (1823).
    pytest.param(
        "The killing of three Palestinian farmers by Israeli soldiers drew condemnation.",
        "190",
        ["ISRMIL"],
        ["PSECVL"],
        id="killing",
    ),
    pytest.param(
        "The slaying of a Colombian activist by paramilitaries shocked Bogota.",
        "190",
        None,
        None,
        id="slaying",
    ),
    pytest.param("Gunmen slew a Nigerian village chief in Zamfara.", "190", None, None, id="slew"),
    pytest.param(
        "Israel's targeted killing of a Hamas commander in Beirut angered Lebanon.",
        "186",
        ["ISR"],
        None,
        id="targeted-killing",
    ),
    pytest.param("A mob lynched a Pakistani tourist in Swat.", "1823", None, None, id="lynched"),
    # Harassment and intimidation as nouns with their agent (170).
    pytest.param(
        "The harassment of Russian journalists by the police was condemned by the European Union.",
        "170",
        None,
        None,
        id="harassment",
    ),
    pytest.param(
        "The intimidation of Zimbabwean voters by ruling party militias was documented.",
        "170",
        None,
        None,
        id="intimidation",
    ),
    # Statements, condolences, accord and symbolic acts (01).
    pytest.param(
        "The Japanese prime minister sent condolences to Morocco after the earthquake.",
        "018",
        ["JPNGOV"],
        None,
        id="sent-condolences",
    ),
    pytest.param(
        "The Indian president offered condolences to Nepal.",
        "018",
        ["INDGOV"],
        None,
        id="offered-condolences",
    ),
    pytest.param(
        "The Kenyan president addressed the nation on Sunday.", "010", ["KENGOV"], None, id="address-nation"
    ),
    pytest.param(
        "The Iranian president attended the funeral in Baghdad.", "017", ["IRNGOV"], None, id="attend-funeral"
    ),
    pytest.param(
        "The Polish president attended the memorial service in Jerusalem.",
        "017",
        ["POLGOV"],
        None,
        id="attend-memorial",
    ),
    pytest.param(
        "The Indian and Chinese foreign ministers shared the view that the border should stay calm.",
        "019",
        ["INDGOV", "CHNGOV"],
        [],
        id="shared-view",
    ),
    # Accepting a proposed ceasefire is intent to de-escalate (0356).
    pytest.param(
        "Hezbollah accepted the French ceasefire proposal.", "0356", ["LBNREB"], None, id="accept-ceasefire"
    ),
    pytest.param("The rebels accepted a truce proposed by Qatar.", "0356", None, None, id="accept-truce"),
    # A conference between parties is a meeting (040).
    pytest.param(
        "A conference between Egyptian and Israeli officials took place in Cairo.",
        "040",
        ["EGYGOV", "ISRGOV"],
        [],
        id="conference-between",
    ),
    # Defending one's own acts and words is verbal (052).
    pytest.param(
        "The Indonesian defence minister defended the army's operation in Papua.",
        "052",
        ["IDNGOV"],
        None,
        id="defend-operation",
    ),
    pytest.param(
        "The Hungarian foreign minister defended his remarks on Ukraine.",
        "052",
        ["HUNGOV"],
        None,
        id="defend-remarks",
    ),
    pytest.param(
        "Saudi Arabia and Iran restored relations.", "050", ["SAU", "IRN"], [], id="restore-relations"
    ),
    # Trade between states (061).
    pytest.param("India imported Russian oil.", "061", ["IND"], ["RUS"], id="imported"),
    pytest.param(
        "Kazakhstan resumed grain exports to Afghanistan.", "061", ["KAZ"], ["AFG"], id="resumed-exports"
    ),
    # Releases of people (0841) and de-escalation (087x).
    pytest.param("Belarus released 20 protesters on Friday.", "0841", ["BLR"], None, id="release-protesters"),
    pytest.param(
        "Vietnam ended its occupation of Cambodia in 1989.", "0874", ["VNM"], ["KHM"], id="end-occupation"
    ),
    pytest.param(
        "Armenia and Azerbaijan ceased hostilities on Tuesday.",
        "0871",
        ["ARM", "AZE"],
        [],
        id="cease-hostilities",
    ),
    pytest.param(
        "The Sudanese army lifted its siege of the northern city.", "0872", None, None, id="lift-siege"
    ),
    # Criticism and rejection (111, 120).
    pytest.param("China chided Australia over the remarks.", "111", ["CHN"], ["AUS"], id="chided"),
    pytest.param(
        "The Brazilian senator called the ruling a disgrace.", "111", None, None, id="call-disgrace"
    ),
    pytest.param(
        "The Venezuelan government rebuffed Brazil's offer.", "120", ["VENGOV"], None, id="rebuffed"
    ),
    pytest.param("The junta spurned the proposal from ECOWAS.", "120", None, None, id="spurned"),
    # Cancellations: a visit or trip (125), talks (164), aid (162).
    pytest.param(
        "The Chinese foreign minister cancelled his trip to Tokyo.", "125", ["CHNGOV"], None, id="cancel-trip"
    ),
    pytest.param("Moscow cancelled the talks with Tokyo.", "164", ["RUSGOV"], None, id="cancel-talks"),
    pytest.param(
        "Moscow pulled the plug on the talks with Kyiv.", "164", ["RUSGOV"], None, id="pull-plug-talks"
    ),
    pytest.param(
        "Washington pulled the plug on aid to Niger.", "162", ["USAGOV"], ["NER"], id="pull-plug-aid"
    ),
    # Threats, protest, sanctions and coercion.
    pytest.param("Iran vowed retaliation against Israel.", "138", ["IRN"], ["ISR"], id="vow-retaliation"),
    pytest.param("Kenyan protesters confronted police in Nairobi.", "145", None, None, id="confront-police"),
    pytest.param(
        "Washington froze $3 billion of Afghan central bank assets.",
        "163",
        ["USAGOV"],
        None,
        id="froze-amount-of-assets",
    ),
    pytest.param(
        "The Ecuadorian president's declaration of a state of emergency angered the opposition.",
        "1724",
        None,
        None,
        id="declaration-of-emergency",
    ),
    pytest.param(
        "The Indian army's imposition of a curfew in Manipur angered residents.",
        "1723",
        None,
        None,
        id="imposition-of-curfew",
    ),
    pytest.param(
        "Angry traders deflated the tyres of municipal trucks in Karachi.",
        "171",
        None,
        None,
        id="deflate-tyres",
    ),
    pytest.param(
        "Rioters vandalised the ruling party's offices in Dhaka.", "171", None, None, id="vandalised"
    ),
    pytest.param("Rioters set ablaze two buses in Lahore.", "1712", None, None, id="set-ablaze"),
    pytest.param("The junta imprisoned the former prime minister.", "173", None, None, id="imprisoned"),
    pytest.param("Kenyan police apprehended three suspects.", "173", None, None, id="apprehended"),
    pytest.param(
        "Iranian security forces' violence against demonstrators drew condemnation.",
        "175",
        None,
        None,
        id="violence-against-demonstrators",
    ),
    # Fighting (190, 192, 193).
    pytest.param(
        "Thai and Cambodian troops skirmished along the border.",
        "190",
        ["THAMIL", "KHMMIL"],
        [],
        id="skirmished",
    ),
    pytest.param(
        "A gun battle between Mexican soldiers and cartel gunmen killed five.",
        "193",
        None,
        None,
        id="gun-battle",
    ),
    pytest.param(
        "An exchange of fire between Indian and Pakistani troops killed a soldier.",
        "193",
        ["INDMIL", "PAKMIL"],
        [],
        id="exchange-of-fire",
    ),
    pytest.param(
        "Heavy gunfire between Syrian troops and smugglers was reported near the border.",
        "193",
        None,
        None,
        id="gunfire",
    ),
    pytest.param(
        "Russian forces pressed their offensive near Pokrovsk.", "190", ["RUSMIL"], None, id="press-offensive"
    ),
    pytest.param(
        "Turkish military action in northern Iraq displaced villagers.",
        "190",
        ["TUR"],
        None,
        id="military-action",
    ),
    pytest.param(
        "Israel's ground operation in Gaza expanded on Sunday.", "190", ["ISR"], None, id="ground-operation"
    ),
    pytest.param(
        "The Ukrainian incursion into Russia's Kursk region surprised the Kremlin.",
        "190",
        ["UKR"],
        ["RUS"],
        id="incursion",
    ),
    pytest.param(
        "The Nigerian army eliminated ten militants in Borno.",
        "190",
        ["NGAMIL"],
        None,
        id="eliminate-militants",
    ),
    pytest.param(
        "The Lebanese army neutralised two militants near the Syrian border.",
        "190",
        ["LBNMIL"],
        None,
        id="neutralise-militants",
    ),
    pytest.param("The rebels captured the airport in Goma.", "192", None, None, id="capture-airport"),
    pytest.param("Militants seized an army base in Mali.", "192", None, None, id="seize-base"),
    # Ceremonies attended or led, and tributes paid, are symbolic acts (017).
    pytest.param(
        "The Indian prime minister attended a ceremony in Dhaka marking the end of the war.",
        "017",
        ["INDGOV"],
        None,
        id="attend-ceremony",
    ),
    pytest.param(
        "The German president led ceremonies in Warsaw marking the anniversary of the uprising.",
        "017",
        ["DEUGOV"],
        None,
        id="lead-ceremonies",
    ),
    pytest.param(
        "The Kenyan president paid tribute to the victims of the Westgate attack.",
        "017",
        ["KENGOV"],
        None,
        id="pay-tribute",
    ),
    # Asking, seeking and requesting aid by its kind (023x).
    pytest.param("Sri Lanka asked India for a loan.", "0231", ["LKA"], ["IND"], id="ask-for-loan"),
    pytest.param(
        "Kyiv asked Berlin for more air defence systems.",
        "0232",
        ["UKRGOV"],
        ["DEUGOV"],
        id="ask-for-air-defence",
    ),
    pytest.param(
        "Bangladesh asked Japan for humanitarian aid for the Rohingya refugees.",
        "0233",
        ["BGD"],
        ["JPN"],
        id="ask-for-humanitarian-aid",
    ),
    pytest.param(
        "Taiwan sought military aid from Washington.", "0232", ["TWN"], None, id="seek-military-aid"
    ),
    # Pledges and offers of aid by its kind (033x), also when the pledge is to deliver arms.
    pytest.param("Britain pledged military aid to Kyiv.", "0332", ["GBR"], None, id="pledge-military-aid"),
    pytest.param(
        "India offered humanitarian aid to Nepal after the earthquake.",
        "0333",
        ["IND"],
        ["NPL"],
        id="offer-humanitarian-aid",
    ),
    pytest.param(
        "Germany pledged to send air defence systems to Ukraine.",
        "0332",
        ["DEU"],
        None,
        id="pledge-to-send-arms",
    ),
    # Talks under the name of negotiations (046); deals agreed on or concluded (057).
    pytest.param(
        "Armenia and Azerbaijan held negotiations in Almaty.",
        "046",
        ["ARM", "AZE"],
        [],
        id="hold-negotiations",
    ),
    pytest.param(
        "Ethiopia and Somalia agreed on a deal over the port.", "057", ["ETH", "SOM"], [], id="agree-on-deal"
    ),
    pytest.param(
        "Britain and Mauritius concluded an agreement on the Chagos Islands.",
        "057",
        ["GBR", "MUS"],
        None,
        id="conclude-agreement",
    ),
    # Arms delivered, supplied, shipped or sent are military aid (072); food and aid delivered or dropped are
    # humanitarian aid (073).
    pytest.param("Germany delivered Leopard tanks to Ukraine.", "072", ["DEU"], ["UKR"], id="deliver-tanks"),
    pytest.param(
        "South Korea supplied ammunition to Poland.", "072", ["KOR"], ["POL"], id="supply-ammunition"
    ),
    pytest.param("Iran shipped arms to the Houthis.", "072", ["IRN"], None, id="ship-arms"),
    pytest.param("Poland sent air defence systems to Ukraine.", "072", ["POL"], None, id="send-air-defence"),
    pytest.param("Jordanian aircraft dropped food parcels over Gaza.", "073", ["JOR"], None, id="drop-food"),
    pytest.param(
        "Egypt sent humanitarian aid to Sudan.", "073", ["EGY"], ["SDN"], id="send-humanitarian-aid"
    ),
    # Releases of people named for who they are (0841); an occupation of some years ended (0874).
    pytest.param("Sri Lanka released 15 Indian fishermen.", "0841", ["LKA"], None, id="release-fishermen"),
    pytest.param(
        "Police in Lagos released the two men without charge.", "0841", None, None, id="release-men"
    ),
    pytest.param(
        "Vietnam ended ten years of occupation in Cambodia in 1989.",
        "0874",
        ["VNM"],
        None,
        id="end-years-of-occupation",
    ),
    # Accusing someone of breaking a ceasefire is accusing them of aggression (1123).
    pytest.param(
        "Armenia accused Azerbaijan of violating the ceasefire.",
        "1123",
        ["ARM"],
        ["AZE"],
        id="accuse-ceasefire",
    ),
    # Hunger strikes begun or declared (142), and ended (082); a general strike staged (143).
    pytest.param(
        "Jailed Palestinian prisoners began a hunger strike on Monday.",
        "142",
        None,
        None,
        id="begin-hunger-strike",
    ),
    pytest.param(
        "The Russian opposition leader declared a hunger strike in prison.",
        "142",
        None,
        None,
        id="declare-hunger-strike",
    ),
    pytest.param(
        "The Bahraini activist ended his hunger strike on Sunday.", "082", None, None, id="end-hunger-strike"
    ),
    pytest.param("Unions staged a general strike in Nigeria.", "143", None, None, id="stage-general-strike"),
    # Aid reduced by its kind (1622, 1623).
    pytest.param(
        "Washington paused military aid to Egypt.", "1622", ["USAGOV"], ["EGY"], id="pause-military-aid"
    ),
    pytest.param(
        "Spain suspended arms deliveries to Israel.", "1622", ["ESP"], ["ISR"], id="suspend-arms-deliveries"
    ),
    pytest.param(
        "Britain cut humanitarian aid to Yemen.", "1623", ["GBR"], ["YEM"], id="cut-humanitarian-aid"
    ),
    # Control taken of assets is confiscation (1711); sieges imposed or laid are blockades (191).
    pytest.param(
        "Russia took control of the assets of two Western companies.",
        "1711",
        ["RUS"],
        None,
        id="take-control-of-assets",
    ),
    pytest.param(
        "Israel imposed a siege on the northern Gaza Strip.", "191", ["ISR"], None, id="impose-siege"
    ),
    pytest.param("Rebels laid siege to the town of Goma.", "191", None, None, id="lay-siege"),
    # Chemical agents by name (2041); a nuclear attack threatened (1385).
    pytest.param(
        "The Syrian army used sarin against the rebels in Ghouta.", "2041", ["SYRMIL"], None, id="use-sarin"
    ),
    pytest.param(
        "A Syrian helicopter dropped chlorine cylinders on the town.", "2041", None, None, id="drop-chlorine"
    ),
    pytest.param(
        "North Korea threatened a nuclear attack on South Korea.",
        "1385",
        ["PRK"],
        ["KOR"],
        id="threaten-nuclear-attack",
    ),
]


@pytest.mark.parametrize(("text", "code", "source", "target"), FIRES)
def test_rows_fire(
    pipeline: Pipeline, text: str, code: str, source: list[str] | None, target: list[str] | None
) -> None:
    """Each new reading gives its code on a sentence of its own, with its actors where they are plain."""
    events = _events(pipeline, text)
    found = [e for e in events if e.code == code]
    assert len(found) == 1, _seen(events)
    if source is not None:
        assert found[0].source == source, _seen(events)
    if target is not None:
        assert found[0].target == target, _seen(events)


# (text, code prefixes that must not be found): other senses of the same words.
NEAR_MISSES = [
    pytest.param(
        "The hedge fund made a killing on the bond market last year.", ("18", "19"), id="made-a-killing"
    ),
    pytest.param("The Indian senator warned against lynch mob justice.", ("18",), id="lynch-mob"),
    pytest.param(
        "She filed a sexual harassment complaint against her employer.", ("17",), id="harassment-complaint"
    ),
    pytest.param(
        "The Kenyan finance minister addressed concerns about the budget.", ("01",), id="address-concerns"
    ),
    pytest.param(
        "The Iranian president attended the conference in Baghdad.", ("017",), id="attend-conference"
    ),
    pytest.param("Britain shared intelligence with France.", ("019",), id="share-intelligence"),
    pytest.param(
        "The Egyptian foreign minister told a news conference in Cairo that talks would resume.",
        ("040",),
        id="news-conference",
    ),
    pytest.param(
        "The Kenyan activist has defended human rights for decades.", ("05", "07", "19"), id="defend-rights"
    ),
    pytest.param("Ukrainian troops defended their positions near Bakhmut.", ("052",), id="defend-positions"),
    pytest.param("Imported goods became more expensive in Kenya.", ("06",), id="imported-goods"),
    pytest.param("The ministry released a statement on Monday.", ("084",), id="release-statement"),
    pytest.param(
        "The Kenyan bank ended its partnership with the telecom company.", ("08",), id="end-partnership"
    ),
    pytest.param("The Brazilian senator called the ruling a mistake.", ("11",), id="call-mistake"),
    pytest.param("The utility pulled the plug on the old power station.", ("12", "16"), id="pull-plug-plant"),
    pytest.param("The airline cancelled flights to Tel Aviv.", ("12", "16"), id="cancel-flights"),
    pytest.param(
        "The Kenyan minister confronted the challenges facing the economy.",
        ("14", "19"),
        id="confront-challenges",
    ),
    pytest.param(
        "The declaration of independence was read in the square.", ("17",), id="declaration-independence"
    ),
    pytest.param("The Kenyan government froze fuel prices for six months.", ("16",), id="freeze-prices"),
    pytest.param("The central bank's measures deflated the housing bubble.", ("17",), id="deflate-bubble"),
    pytest.param("Violence against women rose in the region.", ("17",), id="violence-against-women"),
    pytest.param("The government eliminated tariffs on Chinese cars.", ("19",), id="eliminate-tariffs"),
    pytest.param(
        "Brazil eliminated Argentina from the tournament.", ("19",), id="eliminated-from-tournament"
    ),
    pytest.param(
        "The Kenyan company launched a rescue operation for its stranded workers.",
        ("19",),
        id="rescue-operation",
    ),
    pytest.param("The senator took legal action against the newspaper.", ("19",), id="legal-action"),
    pytest.param("The newly-weds' exchange of vows took place in Rome.", ("19",), id="exchange-of-vows"),
    # An army sends its own tanks into battle; a missile strike delivered is force; jetliners and steel are trade.
    pytest.param("The Pakistani army sent tanks into Lahore.", ("07",), id="send-own-tanks"),
    pytest.param("The Russian army delivered a missile strike on Kharkiv.", ("07",), id="deliver-strike"),
    pytest.param(
        "Airbus delivered 67 jetliners to its customers in November.", ("07",), id="deliver-jetliners"
    ),
    pytest.param("The Indian steel maker supplied steel to the car industry.", ("07",), id="supply-steel"),
    # Chlorine treats water; a nuclear attack warned of is no attack.
    pytest.param("Water companies used chlorine to treat the water.", ("20",), id="use-chlorine-for-water"),
    pytest.param("Russia warned of a nuclear attack by NATO.", ("20",), id="warn-of-nuclear-attack"),
    # Albums and names are released, not people; patience asked for is no aid; clubs seal transfer deals.
    pytest.param("The band released a new album on Friday.", ("08",), id="release-album"),
    pytest.param("The ministry released the man's name on Monday.", ("08",), id="release-name"),
    pytest.param("The minister asked for patience from the public.", ("023",), id="ask-for-patience"),
    pytest.param("The Kenyan club sealed the deal for the striker.", ("05",), id="seal-transfer-deal"),
    pytest.param("The company paid compensation to the victims.", ("01",), id="pay-compensation"),
]


@pytest.mark.parametrize(("text", "codes"), NEAR_MISSES)
def test_near_misses_stay_silent(pipeline: Pipeline, text: str, codes: tuple[str, ...]) -> None:
    """The same words in another sense (business, sport, ideas, people rather than places) give none of the codes."""
    events = _events(pipeline, text)
    assert not [e for e in events if e.code.startswith(codes)], _seen(events)


def test_capturing_people_stays_an_arrest(pipeline: Pipeline) -> None:
    """Places captured are occupied (192); people captured are detained (173), as before."""
    codes = [e.code for e in _events(pipeline, "Police captured the suspects in Lagos.")]
    assert codes == ["173"]


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        (
            "The Jordanian king has been highly critical of Netanyahu's policies.",
            "111",
            ["JORGOV"],
            ["ISRGOV"],
        ),
        (
            "The American president said he was proud of Lebanese Prime Minister Fuad Siniora.",
            "051",
            ["USAGOV"],
            ["LBNGOV"],
        ),
        ("Seoul is deeply concerned over North Korea's missile launches.", "012", ["KORGOV"], ["PRK"]),
    ],
)
def test_adjectives_of_stance(
    pipeline: Pipeline, text: str, code: str, source: list[str], target: list[str]
) -> None:
    """An adjective of stance after a copula codes like its verb, aimed at the object of its preposition."""
    found = [e for e in _events(pipeline, text) if e.code == code]
    assert [(e.source, e.target) for e in found] == [(source, target)], _seen(_events(pipeline, text))


@pytest.mark.parametrize(
    "text",
    [
        "The critical infrastructure of Ukraine was hit by drones.",
        "The talks were critical for peace in the region.",
        "The proud people of Kenya celebrated the anniversary.",
        "Officials were concerned that the bridge might collapse.",
    ],
)
def test_adjectives_that_are_no_stance(pipeline: Pipeline, text: str) -> None:
    """The same adjectives before a noun, or without their preposition, are no event."""
    assert not [e for e in _events(pipeline, text) if e.code in ("111", "051", "012")], _seen(
        _events(pipeline, text)
    )


def test_an_accused_violation_stays_an_event(pipeline: Pipeline) -> None:
    """The accusation names the ceasefire, not the verb of breaking it: the violation is coded too (196)."""
    events = _events(pipeline, "Armenia accused Azerbaijan of violating the ceasefire.")
    assert sorted(e.code for e in events) == ["1123", "196"], _seen(events)


def test_an_accused_attack_stays_an_event(pipeline: Pipeline) -> None:
    """An accusation of firing has no row of its own that would take in the firing: the act stays coded."""
    events = _events(pipeline, "Azerbaijan accused Armenian forces of firing on its troops.")
    assert [e.code for e in events if e.code.startswith("11")] == ["112"], _seen(events)
    assert [e.code for e in events if e.code.startswith("19")], _seen(events)


def test_arms_announced_for_the_future_are_an_intent(pipeline: Pipeline) -> None:
    """Arms to be supplied are a commitment to military aid (0332), not aid delivered."""
    events = _events(pipeline, "Spain will supply tanks to Ukraine.")
    assert [(e.code, e.source, e.target) for e in events] == [("0332", ["ESP"], ["UKR"])], _seen(events)


@pytest.mark.parametrize(
    "text",
    [
        "Amnesty International accused the Rapid Support Forces on Thursday of war crimes in Darfur.",
        "Amnesty International accused the Rapid Support Forces Thursday of war crimes in Darfur.",
    ],
)
def test_a_rows_preposition_after_a_date(pipeline: Pipeline, text: str) -> None:
    """A row's preposition the parser hangs on the date before it ("on Thursday of war crimes") still fits."""
    assert [e.code for e in _events(pipeline, text)] == ["1124"], _seen(_events(pipeline, text))


def test_a_preposition_after_a_date_with_other_words(pipeline: Pipeline) -> None:
    """A preposition after the date fits only with the row's own words: "accused Ukraine on Monday of terrorism"
    stays a plain accusation."""
    events = _events(pipeline, "Russia accused Ukraine on Monday of terrorism.")
    assert [e.code for e in events] == ["112"], _seen(events)
