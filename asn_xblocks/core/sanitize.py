"""Author HTML, sanitised with an allow-list before it reaches a learner's page."""
import nh3

ALLOWED_TAGS = frozenset({
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'dd', 'div', 'dl', 'dt', 'em',
    'figcaption', 'figure', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre',
    'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
    'thead', 'tr', 'u', 'ul',
})
ALLOWED_ATTRIBUTES = {
    'a': {'href', 'title', 'hreflang'},
    'abbr': {'title'},
    'img': {'src', 'alt', 'width', 'height'},
    'td': {'colspan', 'rowspan'},
    'th': {'colspan', 'rowspan', 'scope'},
    '*': {'lang', 'dir'},
}
ALLOWED_URL_SCHEMES = frozenset({'https', 'http', 'mailto'})


def sanitize_html(html):
    """Keep formatting, links and images; drop scripts, handlers, styles and unsafe URLs.

    Links get rel="noopener noreferrer" so an author's page cannot reach back into the LMS tab.
    """
    return nh3.clean(
        html or '',
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel='noopener noreferrer',
        strip_comments=True,
    )
