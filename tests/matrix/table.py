"""The permission matrix: one class per (URL, method) and role. Extend it when you add a page or an API operation
(and its parameters in `requests.py`); `test_every_url_is_classified` names the URLs without a row.

Classes (`engine.py`): OK answered on every record; SCOPED answered inside the role's scope, 403/404 outside (a
write outside may also be refused: nothing written), and no answer shows another side's names; DENY 403/404;
LOGIN sent to the login page (401 from the API); NONE shows nothing outside and writes nothing. `row(default,
role=..., group=...)` sets the roles (groups: local = town/townunit/dept, persons, cadres); anonymous users get
LOGIN unless `anon=` says otherwise. Roles: county, town (a town's region), townunit (the town's unit), dept
(县教育局, a department), cadre, young (选调生), judge, enterprise, resident, party (a party member adopting a
stairwell), anon. `xfail(class, reason)` marks a known gap: the class is what the page must do; the cell fails
until it does (strictly, so the row is updated once it is fixed).
"""

from .engine import DENY, LOGIN, NONE, OK, SCOPED, SCOPED_FORM, row

TABLE = {
    # --- core
    "GET login": row(SCOPED, county=OK, anon=OK),
    "POST login": row(OK, anon=OK),  # a failed sign-in is audited
    "POST logout": row(LOGIN),
    "GET set_language": row(SCOPED, county=OK, anon=OK),
    "POST set_language": row(NONE, county=OK, anon=OK),
    "GET api:openapi-json": row(SCOPED, county=OK),
    "GET api:openapi-view": row(SCOPED, county=OK),
    "GET api:api-root": row(DENY, anon=DENY),
    "GET home": row(SCOPED, county=OK),
    "GET cockpit-screen": row(DENY, county=OK, local=SCOPED),  # the big screen: the staff's figures
    # 使用指南: every guide is readable by every login (they hold no records); the resident's also without one.
    "GET help-index": row(OK),
    "GET help-guide": row(OK),
    "GET help-guide#resident": row(OK, anon=OK),
    "GET account": row(SCOPED, county=OK),
    "POST account": row(SCOPED, county=OK),
    "GET password-change": row(SCOPED, county=OK),
    "POST password-change": row(SCOPED, county=OK),
    "POST token-revoke": row(DENY, cadre=SCOPED),  # one's own tokens only
    "GET audit": row(DENY, county=OK),
    "GET inbox": row(SCOPED, county=OK),
    "POST inbox-read": row(DENY, cadre=SCOPED),
    "POST inbox-read-all": row(NONE, county=OK),
    # Background jobs are their owner's (the county's administrators see all); the world's jobs are the cadre's
    # (side A) and a judge's (side B), done exports that are no import check to confirm.
    "GET jobs": row(SCOPED, county=OK),
    "GET job-detail": row(DENY, county=OK, cadre=SCOPED),
    "GET job-progress": row(DENY, county=OK, cadre=SCOPED),
    "GET job-result": row(DENY, county=OK, cadre=SCOPED),
    "POST job-confirm": row(DENY),
    # --- org
    "GET tree": row(SCOPED, county=OK),
    "GET counties": row(DENY, county=OK, local=SCOPED),
    # Pickers are for staff; the county-wide one (names only) also for cadres choosing a challenge team.
    "GET pick": row(DENY, county=OK, local=SCOPED),
    "GET pick#assessment-section_leader": row(DENY, county=OK, local=SCOPED),
    "GET pick#county-people": row(DENY, county=OK, local=OK, cadres=OK),
    "GET pick#section-leaders": row(DENY, county=OK, local=SCOPED),
    "GET pick#units": row(DENY, county=OK, local=SCOPED),
    "GET pick#young-cadres": row(DENY, county=OK, local=SCOPED),
    "GET people-list": row(SCOPED, county=OK),
    "GET people-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST people-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET people-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET people-template": row(DENY, county=OK, local=SCOPED),
    "GET people-import": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET people-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET people-detail#history": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "GET people-detail#reveal": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET people-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST people-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST people-active": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-list": row(SCOPED, county=OK),
    "GET units-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST units-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET units-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-template": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-import": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-detail#history": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET units-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST units-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST units-active": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET enterprises-list": row(SCOPED, county=OK),
    "GET enterprises-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST enterprises-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET enterprises-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET enterprises-template": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET enterprises-import": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET enterprises-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED),
    "GET enterprises-detail#history": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED),
    "GET enterprises-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST enterprises-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST enterprises-active": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET regions-list": row(SCOPED, county=OK),
    "GET regions-create": row(DENY, county=OK),
    "POST regions-create": row(DENY, county=OK),
    "GET regions-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET regions-template": row(DENY, county=OK),
    "GET regions-import": row(DENY, county=OK),
    "GET regions-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET regions-detail#history": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET regions-edit": row(DENY, county=OK),
    "POST regions-edit": row(DENY, county=OK),
    "POST regions-active": row(DENY, county=OK),
    # --- evaluation
    "GET evaluation-list": row(SCOPED, county=OK),
    "GET evaluation-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST evaluation-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET evaluation-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET evaluation-rates": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST evaluation-add": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST evaluation-transition": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST evaluation-tokens": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET evaluation-tokens-print": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET evaluation-results": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET evaluation-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET evaluation-screen": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET evaluation-screen-board": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET evaluation-screen-host": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST evaluation-reveal": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET evaluation-ballot": row(OK, anon=OK),  # the QR code's token is the key
    "POST evaluation-ballot": row(OK, anon=OK),
    "GET evaluation-judge-home": row(SCOPED, county=OK),
    "GET evaluation-judge-event": row(DENY, judge=SCOPED),
    "GET evaluation-judge-subject": row(DENY, judge=SCOPED),
    "POST evaluation-judge-subject": row(DENY, judge=SCOPED),
    "POST evaluation-judge-submit": row(DENY, judge=SCOPED),
    "POST evaluation-judge-conflict": row(DENY),
    # --- ledger
    "GET ledger-list": row(SCOPED, county=OK, judge=DENY, enterprise=DENY),  # no page where no points are held
    "GET ledger-post": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST ledger-post": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET ledger-entry": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "POST ledger-decide": row(DENY, county=OK),
    "POST ledger-reverse": row(DENY, county=OK),
    # --- cases
    "GET cases-list": row(SCOPED, county=OK),
    "GET cases-stats": row(SCOPED, county=OK, enterprise=DENY),
    "GET cases-desks": row(SCOPED, county=OK, enterprise=DENY),  # an enterprise has its portal
    "GET cases-desk-new": row(DENY, county=OK),
    "POST cases-desk-new": row(DENY, county=OK),
    "GET cases-desk-edit": row(DENY, county=OK),
    "POST cases-desk-edit": row(DENY, county=OK),
    "GET cases-calendar": row(SCOPED, county=OK, enterprise=DENY),  # an enterprise has its portal
    "POST cases-calendar": row(DENY, county=OK),
    "POST cases-calendar-remove": row(DENY, county=OK),
    "GET cases-calendar-import": row(DENY, county=OK),
    "POST cases-calendar-import": row(DENY, county=OK),
    "POST cases-calendar-confirm": row(DENY, county=OK),
    "GET cases-detail": row(SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY),
    "POST cases-act": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET cases-meeting": row(
        DENY, county=OK, local=SCOPED_FORM, cadre=SCOPED_FORM, enterprise=DENY
    ),  # any unit of the county may attend
    "POST cases-meeting": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "POST cases-task": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET cases-attachment": row(
        SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY, anon=DENY
    ),
    "GET cases-attachment#token": row(
        SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY, anon=DENY
    ),
    "GET cases-portal": row(SCOPED, county=OK),
    "GET cases-submit": row(DENY, enterprise=SCOPED),
    "POST cases-submit": row(DENY, enterprise=NONE),
    "GET cases-follow": row(OK, anon=OK),  # the private follow link
    "POST cases-follow": row(NONE, county=OK, anon=OK),
    # --- community
    "GET community-branches": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET community-branch": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET community-qr-sheet": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST community-adopt": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST community-issue": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET community-qr": row(OK, anon=OK),  # the stairwell's QR form
    "POST community-qr": row(OK, anon=OK),
    "GET community-qr-svg": row(OK, anon=OK),
    # --- talent: the register and its pages are the staff's (a department governs no territory: it sees none);
    # a talent reads their own record and phone page, the liaison (the cadre) the talents they look after.
    "GET talent-list": row(DENY, county=OK, local=SCOPED),
    "GET talent-create": row(DENY, county=OK, local=SCOPED),
    "POST talent-create": row(DENY, county=OK, local=NONE),
    "GET talent-export": row(DENY, county=OK, local=SCOPED),
    "GET talent-import": row(DENY, county=OK, local=SCOPED),
    "POST talent-import": row(DENY, county=OK, local=NONE),
    "GET talent-template": row(DENY, county=OK, local=SCOPED),
    "GET talent-mine": row(DENY, persons=SCOPED),
    "GET talent-liaison-home": row(DENY, persons=SCOPED),
    "GET talent-lifecycle": row(DENY, county=OK, local=SCOPED),
    "POST talent-lifecycle": row(DENY, county=OK),
    "GET talent-creators": row(DENY, county=OK, local=SCOPED),
    "POST talent-creators": row(DENY, county=OK, local=NONE),
    "GET talent-creator": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-creator": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-survey": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET talent-projects": row(DENY, county=OK, local=SCOPED),
    "GET talent-project": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, resident=SCOPED),
    "GET talent-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED, resident=SCOPED),
    "GET talent-detail#reveal": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED, resident=SCOPED),
    "POST talent-stage": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-activity": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED),
    "POST talent-liaison": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET talent-request": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED, resident=SCOPED),
    "POST talent-request": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED, resident=SCOPED),
    # 人才大赛: the staff of the region it is held in; rounds are judged on the evaluation pages.
    "GET talent-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET talent-project-create": row(DENY, county=OK, local=SCOPED),
    "POST talent-project-create": row(DENY, county=OK, local=NONE),
    "GET talent-project-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-project-edit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET talent-contests": row(DENY, county=OK, local=SCOPED),
    "POST talent-contests": row(DENY, county=OK, local=NONE),
    "GET talent-contest": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-contest-track": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-contest-entry": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-contest-judge": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST talent-contest-transition": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET pick#talents": row(DENY, county=OK, local=SCOPED),
    "GET pick#startup-projects": row(DENY, county=OK, local=SCOPED),
    # --- villages (强村): staff in their region; the county's department computes the index
    "GET villages-index": row(DENY, county=OK, local=SCOPED),
    "GET villages-target": row(DENY, county=OK, local=SCOPED),
    "GET villages-teams": row(DENY, county=OK, local=SCOPED),
    "GET villages-import": row(DENY, county=OK, local=SCOPED),
    "POST villages-import": row(DENY, county=OK, local=SCOPED),  # another town's village: refused, nothing written
    "POST villages-run": row(DENY, county=OK),
    "GET villages-score": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET villages-village": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    # 强村局长: the county pairs; the town's staff (and the head's own login) log visits and raise problems
    "GET villages-patrons": row(DENY, county=OK, local=SCOPED, cadres=SCOPED),  # a head sees their own
    "GET villages-patron": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST villages-patron-log": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST villages-patron-problem": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST villages-patron-end": row(DENY, county=OK),
    "GET villages-patron-add": row(DENY, county=OK),
    "POST villages-patron-add": row(DENY, county=OK),
    # Operation teams: the county contracts and reviews; the town's staff add monthly reports
    "GET villages-team": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET villages-team-edit": row(DENY, county=OK),
    "POST villages-team-edit": row(DENY, county=OK),
    "POST villages-team-report": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET villages-team-add": row(DENY, county=OK),
    "POST villages-team-add": row(DENY, county=OK),
    "POST villages-team-review": row(DENY, county=OK),
    # 强村论坛/大会 are the county's public events; honours are read per village
    "GET villages-events": row(DENY, county=OK, local=SCOPED),
    "GET villages-event": row(DENY, county=OK, local=OK),
    "GET villages-event-new": row(DENY, county=OK),
    "POST villages-event-new": row(DENY, county=OK),
    "POST villages-honours": row(DENY, county=OK),
    # Indicators are configuration: every staff login reads them, the county's department edits them
    "GET villages-indicators": row(DENY, county=OK, local=SCOPED),
    "GET villages-indicator-new": row(DENY, county=OK),
    "POST villages-indicator-new": row(DENY, county=OK),
    "GET villages-indicator-edit": row(DENY, county=OK),
    "POST villages-indicator-edit": row(DENY, county=OK),
    # --- training (干部大讲堂)
    "GET training-plan": row(DENY, county=OK, local=OK, cadres=OK),  # the year's published sessions
    "GET training-mine": row(DENY, cadres=SCOPED),
    "GET training-reports": row(DENY, county=OK, local=SCOPED),
    "GET training-session": row(DENY, county=OK, local=OK, cadres=OK),  # rosters inside are scoped
    "POST training-enrol": row(DENY, cadres=OK),
    "POST training-drop": row(DENY, cadre=SCOPED),
    "GET training-screen": row(DENY, county=OK, local=SCOPED),  # the host's room screen
    "GET training-checkin": row(DENY, cadres=OK),
    "POST training-checkin": row(DENY, cadres=OK),
    "POST training-mark": row(DENY, county=OK, local=SCOPED),
    "POST training-rate": row(DENY, cadres=OK),  # an attendee's one anonymous ballot link
    "GET training-class": row(DENY, county=OK, cadre=SCOPED),
    "POST training-class-scores": row(DENY, county=OK),
    "GET training-certificate": row(DENY, county=OK, cadre=SCOPED),
    # The plan's makers (county staff) edit topics, sessions and classes and import the year's plan; a topic's host
    # unit answers it and names lecturers; staff enrol people of their scope by a sheet (any published session).
    "GET training-manage": row(DENY, county=OK),
    "POST training-plan-new": row(DENY, county=OK),
    "GET training-topic-new": row(DENY, county=OK),
    "POST training-topic-new": row(DENY, county=OK),
    "GET training-session-new": row(DENY, county=OK),
    "POST training-session-new": row(DENY, county=OK),
    "GET training-class-new": row(DENY, county=OK),
    "POST training-class-new": row(DENY, county=OK),
    "GET training-plan-import": row(DENY, county=OK),
    "POST training-plan-import": row(DENY, county=OK),
    "GET training-plan-template": row(DENY, county=OK),
    "GET training-topic": row(DENY, county=OK, local=SCOPED),
    "POST training-topic": row(DENY, county=OK, local=SCOPED),
    "GET training-session-edit": row(DENY, county=OK),
    "POST training-session-edit": row(DENY, county=OK),
    "POST training-session-publish": row(DENY, county=OK),
    "GET training-group-enrol": row(DENY, county=OK, local=OK),
    "POST training-group-enrol": row(DENY, county=OK, local=SCOPED),
    "GET training-group-template": row(DENY, county=OK, local=OK),
    "GET training-class-edit": row(DENY, county=OK),
    "POST training-class-edit": row(DENY, county=OK),
    # the online end test: written and run by the county; a member takes it (the class's cadre on side A)
    "GET training-quiz": row(DENY, county=OK, cadre=SCOPED),
    "POST training-quiz": row(DENY, county=OK),
    "POST training-quiz-question": row(DENY, county=OK),
    "POST training-quiz-question-delete": row(DENY, county=OK),
    "POST training-quiz-state": row(DENY, county=OK),
    "POST training-quiz-submit": row(DENY, cadre=SCOPED),
    "GET training-certificate-pdf": row(DENY, county=OK, cadre=SCOPED),
    "GET training-session-roster": row(DENY, county=OK, local=OK, cadres=OK),  # rows inside are scoped
    # --- pairing: the department (county) runs it; an enterprise and the expert on the register (the resident
    # login) follow their own pairings; a town's staff reads what lies in its town.
    "GET pairing-home": row(SCOPED, county=OK),
    "POST pairing-classify": row(DENY, county=OK),
    "POST pairing-run-start": row(DENY, county=OK),
    "GET pairing-run": row(DENY, county=OK),
    "GET pairing-need": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED),
    "POST pairing-add": row(DENY, county=OK),
    "GET pairing-pairs": row(SCOPED, county=OK),
    "GET pairing-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED, resident=SCOPED),
    "POST pairing-act": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED, resident=SCOPED),
    "POST pairing-rate": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED, resident=SCOPED),
    "POST pairing-report": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED, resident=SCOPED),
    "GET pairing-experts": row(DENY, county=OK),
    # --- challenges
    "GET challenges-board": row(OK, anon=OK),  # the public 揭榜 board
    "GET challenges-list": row(OK),  # every non-draft challenge is public to logins
    "GET challenges-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST challenges-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET challenges-detail": row(OK),
    "POST challenges-transition": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST challenges-apply": row(DENY, cadre=NONE, young=NONE, party=NONE),
    "POST challenges-application": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST challenges-award": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST challenges-milestone-add": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST challenges-milestone": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST challenges-signoff": row(NONE, county=OK),
    "POST challenges-report": row(DENY, cadre=SCOPED, young=NONE, party=NONE),
    "POST challenges-panel": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST challenges-conflict": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    # --- projects
    "GET projects-list": row(SCOPED, county=OK),
    "GET projects-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST projects-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET projects-frontline": row(SCOPED, county=OK),
    "POST projects-frontline": row(DENY, county=OK),
    "GET projects-detail": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "POST projects-transition": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST projects-difficulty": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "POST projects-milestone-done": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    # --- awards
    "GET awards-list": row(SCOPED, county=OK),
    "POST awards-list": row(NONE, county=OK),
    "GET awards-round": row(SCOPED, county=OK, enterprise=DENY, resident=DENY),
    "POST awards-transition": row(DENY, county=OK),
    # The printed 公示名单 of a round in publicity: public to every login that sees the round.
    "GET awards-print": row(OK, enterprise=DENY, resident=DENY),
    "GET awards-nominate": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST awards-nominate": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "POST awards-object": row(NONE, county=OK, enterprise=DENY, resident=DENY),
    "POST awards-withdraw": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST awards-answer": row(DENY, county=OK),
    "GET awards-person": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    # --- growth
    "GET growth-dashboard": row(SCOPED, county=OK),
    "GET growth-records": row(SCOPED, county=OK),
    "GET growth-create": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST growth-create": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET growth-record": row(SCOPED, county=OK, judge=DENY, enterprise=DENY, resident=DENY, party=DENY),
    "POST growth-submit": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, young=SCOPED),
    "POST growth-transition": row(DENY, county=OK, cadre=SCOPED),
    "GET growth-file": row(SCOPED, county=OK, judge=DENY, enterprise=DENY, resident=DENY, party=DENY),
    "POST growth-posting": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET growth-checklist": row(SCOPED, county=OK, judge=DENY, enterprise=DENY),
    "POST growth-checklist": row(DENY, county=OK),
    # --- assessment
    "GET assessment-home": row(SCOPED, county=OK),
    "GET assessment-scheme-new": row(DENY, county=OK),
    "GET assessment-scheme": row(DENY, county=OK),
    "POST assessment-scheme-copy": row(DENY, county=OK),
    "POST assessment-scheme-active": row(DENY, county=OK),
    "GET assessment-round-new": row(DENY, county=OK),
    "GET assessment-round": row(SCOPED, county=OK, judge=DENY, enterprise=DENY, resident=DENY),
    "POST assessment-source": row(DENY, county=OK),
    "POST assessment-decide": row(DENY, county=OK),
    "POST assessment-decision-remove": row(DENY, county=OK),
    "POST assessment-transition": row(DENY, county=OK),
    "GET assessment-ranking": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET assessment-export": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET assessment-ranking-print": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST assessment-bulletin": row(DENY, county=OK),
    "POST assessment-object": row(DENY, cadre=NONE, young=NONE, party=NONE),
    "GET assessment-explain": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "GET assessment-records": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "POST assessment-answer": row(DENY, county=OK),
    "GET assessment-unit-scores-list": row(SCOPED, county=OK, judge=DENY, enterprise=DENY),
    "GET assessment-unit-scores-import": row(DENY, county=OK),
    "GET assessment-unit-scores-template": row(DENY, county=OK),
    "GET assessment-task-tallies-list": row(SCOPED, county=OK, judge=DENY, enterprise=DENY),
    "GET assessment-task-tallies-import": row(DENY, county=OK),
    "GET assessment-task-tallies-template": row(DENY, county=OK),
    "GET assessment-manual-values-list": row(SCOPED, county=OK, judge=DENY, enterprise=DENY),
    "GET assessment-manual-values-import": row(DENY, county=OK),
    "GET assessment-manual-values-template": row(DENY, county=OK),
    # --- API: notices
    "GET /api/v1/notices/": row(SCOPED, county=OK),
    "POST /api/v1/notices/{notice_id}/read/": row(DENY, cadre=SCOPED),
    "POST /api/v1/notices/read-all/": row(NONE, county=OK),
    # --- API: background jobs; register imports and exports submit one
    "GET /api/v1/jobs/": row(SCOPED, county=OK),
    "GET /api/v1/jobs/{job_id}": row(DENY, county=OK, cadre=SCOPED),
    "GET /api/v1/jobs/{job_id}/result": row(DENY, county=OK, cadre=SCOPED),
    "POST /api/v1/jobs/{job_id}/confirm": row(DENY),
    # The job's errors repeat the unit the caller's own file named, whichever side it is.
    "POST /api/v1/registers/{key}/imports": row(DENY, county=OK, local=SCOPED_FORM),
    "POST /api/v1/registers/{key}/exports": row(DENY, county=OK, local=OK),
    # --- API: regions
    "GET /api/v1/regions/": row(SCOPED, county=OK),
    "POST /api/v1/regions/": row(DENY, county=OK),
    "GET /api/v1/regions/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "PATCH /api/v1/regions/{pk}/": row(DENY, county=OK),
    # --- API: units
    "GET /api/v1/units/": row(SCOPED, county=OK),
    "POST /api/v1/units/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=NONE),  # 422: no territory
    "GET /api/v1/units/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "PATCH /api/v1/units/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    # --- API: people
    "GET /api/v1/people/": row(SCOPED, county=OK),
    "POST /api/v1/people/": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),
    "GET /api/v1/people/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED),
    "PATCH /api/v1/people/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    # --- API: enterprises
    "GET /api/v1/enterprises/": row(SCOPED, county=OK),
    "POST /api/v1/enterprises/": row(DENY, county=OK, town=NONE, townunit=NONE, dept=NONE),  # 422: no territory
    "GET /api/v1/enterprises/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, enterprise=SCOPED),
    "PATCH /api/v1/enterprises/{pk}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    # --- API: evaluations
    "GET /api/v1/evaluations": row(SCOPED, county=OK),
    "GET /api/v1/evaluations/{pk}": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "GET /api/v1/evaluations/{pk}/rates": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET /api/v1/evaluations/{pk}/results": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    # --- API: ballots
    "GET /api/v1/ballots/{token}": row(OK, anon=OK),
    "POST /api/v1/ballots": row(NONE, county=OK, anon=OK),
    # --- API: evaluations
    "POST /api/v1/evaluations/{pk}/scores": row(DENY, judge=SCOPED),
    "POST /api/v1/evaluations/{pk}/submit": row(DENY, judge=SCOPED),
    "POST /api/v1/evaluations/{pk}/transition": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED
    ),
    # --- API: ledger
    "GET /api/v1/ledger/entries/": row(SCOPED, county=OK),
    "POST /api/v1/ledger/entries/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST /api/v1/ledger/entries/{entry_id}/decide/": row(DENY, county=OK),
    "POST /api/v1/ledger/entries/{entry_id}/reverse/": row(DENY, county=OK),
    # --- API: desks
    "GET /api/v1/desks/": row(SCOPED, county=OK),
    # --- API: cases
    "GET /api/v1/cases/": row(SCOPED, county=OK),
    "POST /api/v1/cases/": row(NONE, county=OK, enterprise=SCOPED),
    "GET /api/v1/cases/{case_id}/": row(SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY),
    "GET /api/v1/cases/{case_id}/timeline/": row(
        SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY
    ),
    "GET /api/v1/cases/{case_id}/duplicates/": row(
        SCOPED, county=OK, young=DENY, judge=DENY, resident=DENY, party=DENY
    ),
    "POST /api/v1/cases/{case_id}/transition/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST /api/v1/cases/tasks/{task_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "POST /api/v1/cases/{case_id}/meetings/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    # --- API: talent (the register's staff; a talent's own record; the liaison's talents)
    "GET /api/v1/talent/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/talent/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=NONE),
    "GET /api/v1/talent/me/": row(DENY, resident=SCOPED),
    "GET /api/v1/talent/panel/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/talent/creators/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/talent/households/{household_id}/surveys/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/talent/projects/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/talent/projects/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=NONE),
    "PATCH /api/v1/talent/projects/{project_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "PATCH /api/v1/talent/{talent_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/talent/contests/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/talent/contests/{contest_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST /api/v1/talent/contests/{contest_id}/transition/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/stats/talent/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/talent/{talent_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED,
                                           resident=SCOPED),
    "POST /api/v1/talent/{talent_id}/stage/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST /api/v1/talent/{talent_id}/activities/{activity_id}/": row(DENY, county=OK, town=SCOPED,
                                                                      townunit=SCOPED, cadre=SCOPED),
    "POST /api/v1/talent/{talent_id}/requests/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED,
                                                     resident=SCOPED),
    "GET /api/v1/talent/{talent_id}/requests/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, cadre=SCOPED,
                                                    resident=SCOPED),
    # --- API: stats
    "GET /api/v1/stats/cases/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    # --- API: cases
    "POST /api/v1/cases/sweep/": row(DENY, county=OK),
    # --- API: public (token) endpoints
    "GET /api/v1/public/cases/{token}/": row(OK, anon=OK),
    "POST /api/v1/public/cases/{token}/rate/": row(NONE, county=OK, anon=OK),
    # --- API: villages
    "GET /api/v1/villages/indicators/": row(DENY, county=OK, local=OK),
    "GET /api/v1/villages/runs/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/villages/runs/": row(DENY, county=OK),
    "GET /api/v1/villages/runs/{run_id}/scores/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/villages/target/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/villages/import/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/villages/patrons/": row(DENY, county=OK, local=SCOPED, cadres=SCOPED),
    "POST /api/v1/villages/patrons/": row(DENY, county=OK),
    "POST /api/v1/villages/patrons/{patron_id}/logs/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST /api/v1/villages/patrons/{patron_id}/problems/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/villages/teams/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/villages/teams/": row(DENY, county=OK),
    "POST /api/v1/villages/teams/{team_id}/reports/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "GET /api/v1/villages/teams/{team_id}/reviews/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED),
    "POST /api/v1/villages/reviews/": row(DENY, county=OK),
    "GET /api/v1/villages/events/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/villages/events/": row(DENY, county=OK),
    "GET /api/v1/villages/honours/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/villages/honours/": row(DENY, county=OK),
    "POST /api/v1/villages/indicators/": row(DENY, county=OK),
    "PATCH /api/v1/villages/indicators/{indicator_id}/": row(DENY, county=OK),
    # --- API: community
    "GET /api/v1/community/branches/": row(SCOPED, county=OK),
    "GET /api/v1/community/branches/{branch_id}/stairwells/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED
    ),
    "POST /api/v1/community/stairwells/{stairwell_id}/adopt/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED
    ),
    "POST /api/v1/community/committees/{committee_id}/issues/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED
    ),
    # --- API: public (token) endpoints
    "POST /api/v1/public/stairwells/{token}/requests/": row(OK, anon=OK),
    # --- vouchers (人才政策与人才券): policies and funds are public to logins; a holder sees their own vouchers,
    # applications and transactions, a merchant (an enterprise) its counter and the transactions it took — a token
    # from a holder's QR lets any merchant ask (the holder confirms); the county runs funds, reviews and reports.
    "GET vouchers-home": row(SCOPED, county=OK, judge=DENY),
    "GET vouchers-policy": row(OK),
    "POST vouchers-policy-panel": row(DENY, county=OK),
    "GET vouchers-policy-create": row(DENY, county=OK),
    "POST vouchers-policy-create": row(DENY, county=OK),
    "GET vouchers-policy-edit": row(DENY, county=OK),
    "POST vouchers-policy-edit": row(DENY, county=OK),
    "POST vouchers-policy-fund": row(DENY, county=OK),
    "GET vouchers-apply": row(DENY, cadre=OK, young=OK, resident=OK, party=OK, enterprise=OK),
    "POST vouchers-apply": row(DENY, cadre=OK, young=OK, resident=OK, party=OK, enterprise=OK),
    "GET vouchers-applications": row(SCOPED, county=OK, judge=DENY),
    "GET vouchers-application": row(DENY, county=OK, enterprise=SCOPED),
    "POST vouchers-application-transition": row(DENY, county=OK),
    "GET vouchers-fund": row(OK, judge=DENY),
    "POST vouchers-fund-topup": row(DENY, county=OK),
    "POST vouchers-fund-issue": row(DENY, county=OK),
    "POST vouchers-fund-enrol": row(DENY, enterprise=OK),
    "POST vouchers-enrolment": row(DENY, county=OK),
    "GET vouchers-voucher": row(DENY, county=OK, cadre=SCOPED),
    "GET vouchers-voucher-split": row(DENY, county=OK, cadre=SCOPED),
    "POST vouchers-voucher-split": row(DENY, county=OK, cadre=SCOPED),
    "GET vouchers-pay": row(DENY, enterprise=OK),
    "POST vouchers-pay": row(DENY, enterprise=OK),
    "GET vouchers-merchant": row(DENY, enterprise=OK),
    "GET vouchers-redemption": row(DENY, county=OK, cadre=SCOPED, enterprise=SCOPED),
    "POST vouchers-redemption-answer": row(DENY, cadre=SCOPED),
    "POST vouchers-redemption-review": row(DENY, county=OK),
    "GET vouchers-transactions": row(DENY, county=OK),
    "GET vouchers-reports": row(DENY, county=OK),
    "GET vouchers-reports-export": row(DENY, county=OK),
    "GET /api/v1/vouchers/policies/": row(OK),
    "POST /api/v1/vouchers/policies/": row(DENY, county=OK),
    "GET /api/v1/vouchers/policies/{policy_id}/": row(OK),
    "GET /api/v1/vouchers/policies/{policy_id}/eligibility/": row(
        DENY, cadre=OK, young=OK, resident=OK, party=OK, enterprise=OK),
    "POST /api/v1/vouchers/policies/{policy_id}/panel/": row(DENY, county=OK),
    "PUT /api/v1/vouchers/policies/{policy_id}/": row(DENY, county=OK),
    "GET /api/v1/vouchers/funds/": row(OK),
    "POST /api/v1/vouchers/funds/": row(DENY, county=OK),
    "GET /api/v1/vouchers/funds/{fund_id}/": row(OK, judge=DENY),
    "GET /api/v1/vouchers/funds/{fund_id}/reconcile/": row(DENY, county=OK),
    "POST /api/v1/vouchers/funds/{fund_id}/topup/": row(DENY, county=OK),
    "POST /api/v1/vouchers/funds/{fund_id}/issue/": row(DENY, county=OK),
    "POST /api/v1/vouchers/funds/{fund_id}/enrol/": row(DENY, enterprise=OK),
    "POST /api/v1/vouchers/enrolments/{enrolment_id}/decide/": row(DENY, county=OK),
    "GET /api/v1/vouchers/applications/": row(SCOPED, county=OK),
    "POST /api/v1/vouchers/applications/": row(DENY, cadre=OK, young=OK, resident=OK, party=OK, enterprise=OK),
    "GET /api/v1/vouchers/applications/{application_id}/": row(DENY, county=OK, enterprise=SCOPED),
    "POST /api/v1/vouchers/applications/{application_id}/transition/": row(DENY, county=OK),
    "GET /api/v1/vouchers/vouchers/": row(SCOPED, county=OK),
    "GET /api/v1/vouchers/vouchers/{voucher_id}/": row(DENY, county=OK, cadre=SCOPED),
    "POST /api/v1/vouchers/vouchers/{voucher_id}/split/": row(DENY, county=OK, cadre=SCOPED),
    "GET /api/v1/vouchers/redemptions/": row(SCOPED, county=OK),
    "POST /api/v1/vouchers/redemptions/": row(DENY, enterprise=OK),
    "GET /api/v1/vouchers/redemptions/{redemption_id}/": row(DENY, county=OK, cadre=SCOPED, enterprise=SCOPED),
    "POST /api/v1/vouchers/redemptions/{redemption_id}/confirm/": row(DENY, cadre=SCOPED),
    "POST /api/v1/vouchers/redemptions/{redemption_id}/decline/": row(DENY, cadre=SCOPED),
    "POST /api/v1/vouchers/redemptions/{redemption_id}/review/": row(DENY, county=OK),
    "GET /api/v1/vouchers/signals/": row(DENY, county=OK),
    "GET /api/v1/vouchers/reports/": row(DENY, county=OK),
    # --- API: training (干部大讲堂): the plan's published sessions are read by staff and cadres; rosters, hours and
    # reports are scoped; enrolment and check-in are a cadre's own; the host marks attendance.
    "GET /api/v1/training/sessions/": row(NONE, county=OK, local=OK, cadres=OK),
    "GET /api/v1/training/sessions/{session_id}/": row(DENY, county=OK, local=OK, cadres=OK),
    "POST /api/v1/training/sessions/": row(DENY, county=OK),
    "POST /api/v1/training/sessions/{session_id}/enrol/": row(DENY, cadres=OK),
    "POST /api/v1/training/sessions/{session_id}/drop/": row(DENY, cadre=SCOPED),
    "POST /api/v1/training/sessions/{session_id}/checkin/": row(DENY, cadres=OK),
    "POST /api/v1/training/sessions/{session_id}/checkout/": row(DENY, cadres=OK),
    "POST /api/v1/training/sessions/{session_id}/attendance/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/training/sessions/{session_id}/rate/": row(DENY, cadres=OK),
    "GET /api/v1/training/sessions/{session_id}/rating/": row(DENY, county=OK, local=SCOPED),  # the host's
    "GET /api/v1/training/sessions/{session_id}/roster/": row(DENY, county=OK, local=OK, cadres=OK),
    "GET /api/v1/training/mine/": row(DENY, cadres=SCOPED),
    "GET /api/v1/training/reports/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/stats/training/": row(DENY, county=OK, local=SCOPED),
    "POST /api/v1/training/sessions/{session_id}/enrol-group/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/training/classes/{class_id}/quiz/": row(DENY, county=OK, cadre=SCOPED),
    "POST /api/v1/training/classes/{class_id}/quiz/": row(DENY, county=OK),
    "POST /api/v1/training/classes/{class_id}/quiz/state/": row(DENY, county=OK),
    "POST /api/v1/training/classes/{class_id}/quiz/submit/": row(DENY, cadre=SCOPED),
    # --- API: pairing
    "GET /api/v1/pairing/experts/": row(SCOPED, county=OK),
    "GET /api/v1/pairing/needs/": row(SCOPED, county=OK),
    "POST /api/v1/pairing/needs/": row(NONE, county=OK),  # no body names a side without a need: 400
    "GET /api/v1/pairing/runs/": row(SCOPED, county=OK),
    "POST /api/v1/pairing/runs/": row(DENY, county=OK),
    "GET /api/v1/pairing/pairings/": row(SCOPED, county=OK),
    "POST /api/v1/pairing/pairings/": row(NONE, county=OK),
    "GET /api/v1/pairing/pairings/{pairing_id}/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED,
                                                      enterprise=SCOPED, resident=SCOPED),
    "POST /api/v1/pairing/pairings/{pairing_id}/transition/": row(DENY, county=OK, enterprise=SCOPED,
                                                                  resident=SCOPED),
    "POST /api/v1/pairing/pairings/{pairing_id}/rate/": row(DENY, enterprise=SCOPED),
    # --- API: challenges
    "GET /api/v1/challenges/board/": row(OK, anon=OK),
    "GET /api/v1/challenges/": row(OK),
    "POST /api/v1/challenges/": row(DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED),
    "GET /api/v1/challenges/applications/": row(SCOPED, county=OK),
    "GET /api/v1/challenges/{challenge_id}/": row(OK),
    "POST /api/v1/challenges/{challenge_id}/transition/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST /api/v1/challenges/{challenge_id}/apply/": row(DENY, cadre=NONE, young=NONE, party=NONE),
    "POST /api/v1/challenges/{challenge_id}/award/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED
    ),
    "POST /api/v1/challenges/{challenge_id}/milestones/{milestone_id}/transition/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "GET /api/v1/challenges/{challenge_id}/panel/": row(OK),
    "POST /api/v1/challenges/{challenge_id}/milestones/{milestone_id}/signoff/": row(NONE, county=OK),
    # --- API: projects
    "GET /api/v1/projects/": row(SCOPED, county=OK),
    "GET /api/v1/projects/{pk}/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST /api/v1/projects/{pk}/difficulties/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "GET /api/v1/projects/frontline/{period}/": row(SCOPED, county=OK),
    # --- API: stats
    # Every app's figures, counted in the caller's scope: the department staff's.
    "GET /api/v1/stats/": row(DENY, county=OK, local=SCOPED),
    "GET /api/v1/stats/towns/": row(DENY, county=OK, local=SCOPED),
    # --- API: awards
    "GET /api/v1/awards/rounds/": row(SCOPED, county=OK),
    "GET /api/v1/awards/rounds/{pk}/nominations/": row(SCOPED, county=OK, enterprise=DENY, resident=DENY),
    "GET /api/v1/awards/people/{person_id}/honours/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    # --- API: growth
    "GET /api/v1/growth/records/": row(SCOPED, county=OK),
    "GET /api/v1/growth/cohorts/": row(SCOPED, county=OK),
    "POST /api/v1/growth/records/{record_id}/entries/{entry_id}/submit/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, young=SCOPED
    ),
    "POST /api/v1/growth/records/{record_id}/entries/{entry_id}/transition/": row(
        DENY, county=OK, cadre=SCOPED
    ),
    # --- API: assessment
    "GET /api/v1/assessment/schemes/": row(SCOPED, county=OK),
    "POST /api/v1/assessment/schemes/": row(DENY, county=OK),
    "PUT /api/v1/assessment/schemes/{scheme_id}/": row(DENY, county=OK),
    "GET /api/v1/assessment/rounds/": row(SCOPED, county=OK),
    "POST /api/v1/assessment/rounds/": row(DENY, county=OK),
    "GET /api/v1/assessment/rounds/{round_id}/decisions/": row(DENY, county=OK),
    "POST /api/v1/assessment/rounds/{round_id}/decisions/": row(DENY, county=OK),
    "DELETE /api/v1/assessment/decisions/{decision_id}/": row(DENY, county=OK),
    "GET /api/v1/assessment/rounds/{round_id}/results/": row(
        SCOPED, county=OK, judge=DENY, enterprise=DENY, resident=DENY
    ),
    "GET /api/v1/assessment/rounds/{round_id}/results/{person_id}/": row(
        DENY, county=OK, town=SCOPED, townunit=SCOPED, dept=SCOPED, cadre=SCOPED
    ),
    "POST /api/v1/assessment/rounds/{round_id}/transition/": row(DENY, county=OK),
    "POST /api/v1/assessment/rounds/{round_id}/objections/": row(DENY, cadre=NONE, young=NONE, party=NONE),
}
