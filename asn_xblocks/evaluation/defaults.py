"""The demo survey items (Bahasa Indonesia with English) and the workbench's pages.

The "small course" page holds what a training course holds, in the order learners meet it: a
before survey, a pre-test, a case study, an expert session, a post-test and the reaction
survey (which shows staff the course dashboard). The workbench treats one page as a course,
so the dashboard there has data as soon as a few learners have gone through the page.
"""
import functools
import importlib.resources
import json

from lxml import etree

from ..core.olx import olx_string, parse_olx_string

COURSE_SETTINGS = {
    'course_name': 'Pelatihan Pelayanan Publik Prima', 'organiser': 'BKPSDM Kota Tangerang Selatan (ilustrasi)',
    'jp_hours': 20, 'start_date': '2026-11-02', 'end_date': '2026-11-06', 'follow_up_days': 30,
    'certificate_number': '800/{n}/BKPSDM/2026',
}
PAIRING_KEY = 'kursus-demo'


@functools.lru_cache(maxsize=None)
def _data(name):
    return importlib.resources.files(__package__).joinpath('data', name).read_text(encoding='utf-8')


def default_questions():
    """A fresh copy of the demo survey items."""
    return json.loads(_data('demo_questions.json'))


def evaluation_element(survey, display_name, **settings):
    from .olx import block_element  # pylint: disable=import-outside-toplevel
    return block_element('asn_evaluation', {'display_name': display_name, 'survey': survey, **COURSE_SETTINGS,
                                            **settings}, default_questions())


def course_page():
    """One page as a small course (see the module docstring), from the bundled course parts."""
    page = etree.Element('vertical_demo')
    page.append(evaluation_element('before', 'Survei Awal', show_dashboard='false'))
    for part in ('pre_test', 'case_study', 'expert_session', 'post_test'):
        page.append(parse_olx_string(_data(f'course_{part}.xml')))
    page.append(evaluation_element('reaction', 'Evaluasi Pelatihan'))
    return olx_string(page)


def workbench_scenarios():
    follow_up = etree.Element('vertical_demo')
    follow_up.append(evaluation_element('follow_up', 'Survei Tindak Lanjut', end_date='2026-01-05'))
    return [('Evaluasi pelatihan: kursus kecil (survei awal, tes, studi kasus, sesi narasumber, survei reaksi)',
             course_page()),
            ('Evaluasi pelatihan: survei tindak lanjut', olx_string(follow_up))]
