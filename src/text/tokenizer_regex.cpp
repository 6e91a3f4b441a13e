#include "text/tokenizer_regex.hpp"

#include "text/tokenizer_json.hpp"

#include <utf8proc.h>

#include <emo/emo.hpp>

#include <cstdint>
#include <functional>
#include <limits>

namespace emo::text {

namespace {

utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }

std::uint32_t bit(utf8proc_category_t c) { return std::uint32_t{1} << static_cast<unsigned>(c); }

// General categories by their short names (one letter: the whole group), as a mask of utf8proc categories.
std::uint32_t category_mask(const std::string& name) {
    struct Entry {
        const char* name;
        utf8proc_category_t first, last;
    };
    static const Entry entries[] = {
        {"L", UTF8PROC_CATEGORY_LU, UTF8PROC_CATEGORY_LO},  {"Lu", UTF8PROC_CATEGORY_LU, UTF8PROC_CATEGORY_LU},
        {"Ll", UTF8PROC_CATEGORY_LL, UTF8PROC_CATEGORY_LL}, {"Lt", UTF8PROC_CATEGORY_LT, UTF8PROC_CATEGORY_LT},
        {"Lm", UTF8PROC_CATEGORY_LM, UTF8PROC_CATEGORY_LM}, {"Lo", UTF8PROC_CATEGORY_LO, UTF8PROC_CATEGORY_LO},
        {"M", UTF8PROC_CATEGORY_MN, UTF8PROC_CATEGORY_ME},  {"Mn", UTF8PROC_CATEGORY_MN, UTF8PROC_CATEGORY_MN},
        {"Mc", UTF8PROC_CATEGORY_MC, UTF8PROC_CATEGORY_MC}, {"Me", UTF8PROC_CATEGORY_ME, UTF8PROC_CATEGORY_ME},
        {"N", UTF8PROC_CATEGORY_ND, UTF8PROC_CATEGORY_NO},  {"Nd", UTF8PROC_CATEGORY_ND, UTF8PROC_CATEGORY_ND},
        {"Nl", UTF8PROC_CATEGORY_NL, UTF8PROC_CATEGORY_NL}, {"No", UTF8PROC_CATEGORY_NO, UTF8PROC_CATEGORY_NO},
        {"P", UTF8PROC_CATEGORY_PC, UTF8PROC_CATEGORY_PO},  {"Pc", UTF8PROC_CATEGORY_PC, UTF8PROC_CATEGORY_PC},
        {"Pd", UTF8PROC_CATEGORY_PD, UTF8PROC_CATEGORY_PD}, {"Ps", UTF8PROC_CATEGORY_PS, UTF8PROC_CATEGORY_PS},
        {"Pe", UTF8PROC_CATEGORY_PE, UTF8PROC_CATEGORY_PE}, {"Pi", UTF8PROC_CATEGORY_PI, UTF8PROC_CATEGORY_PI},
        {"Pf", UTF8PROC_CATEGORY_PF, UTF8PROC_CATEGORY_PF}, {"Po", UTF8PROC_CATEGORY_PO, UTF8PROC_CATEGORY_PO},
        {"S", UTF8PROC_CATEGORY_SM, UTF8PROC_CATEGORY_SO},  {"Sm", UTF8PROC_CATEGORY_SM, UTF8PROC_CATEGORY_SM},
        {"Sc", UTF8PROC_CATEGORY_SC, UTF8PROC_CATEGORY_SC}, {"Sk", UTF8PROC_CATEGORY_SK, UTF8PROC_CATEGORY_SK},
        {"So", UTF8PROC_CATEGORY_SO, UTF8PROC_CATEGORY_SO}, {"Z", UTF8PROC_CATEGORY_ZS, UTF8PROC_CATEGORY_ZP},
        {"Zs", UTF8PROC_CATEGORY_ZS, UTF8PROC_CATEGORY_ZS}, {"Zl", UTF8PROC_CATEGORY_ZL, UTF8PROC_CATEGORY_ZL},
        {"Zp", UTF8PROC_CATEGORY_ZP, UTF8PROC_CATEGORY_ZP}, {"Cc", UTF8PROC_CATEGORY_CC, UTF8PROC_CATEGORY_CC},
        {"Cf", UTF8PROC_CATEGORY_CF, UTF8PROC_CATEGORY_CF}, {"Cs", UTF8PROC_CATEGORY_CS, UTF8PROC_CATEGORY_CS},
        {"Co", UTF8PROC_CATEGORY_CO, UTF8PROC_CATEGORY_CO}, {"Cn", UTF8PROC_CATEGORY_CN, UTF8PROC_CATEGORY_CN},
    };
    if (name == "C")
        return bit(UTF8PROC_CATEGORY_CN) | bit(UTF8PROC_CATEGORY_CC) | bit(UTF8PROC_CATEGORY_CF) |
               bit(UTF8PROC_CATEGORY_CS) | bit(UTF8PROC_CATEGORY_CO);
    for (const auto& e : entries) {
        if (name != e.name) continue;
        std::uint32_t mask = 0;
        for (int c = e.first; c <= e.last; ++c) mask |= bit(static_cast<utf8proc_category_t>(c));
        return mask;
    }
    return 0;
}

}  // namespace

bool is_regex_word_char(char32_t c) {
    const auto cat = category(c);
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) || cat == UTF8PROC_CATEGORY_ND ||
        cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_PC || c == 0x200C || c == 0x200D)
        return true;
    // Alphabetic symbols outside the letter categories: the circled and squared Latin letters.
    return (c >= 0x24B6 && c <= 0x24E9) || (c >= 0x1F130 && c <= 0x1F149) || (c >= 0x1F150 && c <= 0x1F169) ||
           (c >= 0x1F170 && c <= 0x1F189);
}

struct TokenizerRegex::Node {
    enum class Kind { Set, Sequence, Alternation, Repeat, Look, Begin, End };
    // One member of a character set: a range of code points or a class (negated for \S, \W, \D, \P).
    struct Item {
        enum class Class { Range, Space, Word, Digit, Categories, NotNewline };
        Class cls = Class::Range;
        char32_t lo = 0, hi = 0;
        std::uint32_t categories = 0;
        bool negated = false;
    };
    Kind kind = Kind::Set;
    std::vector<Item> items;    // Set
    bool negated = false;       // Set: [^...]; Look: (?!...)
    bool ignore_case = false;   // Set: inside (?i:...)
    std::vector<int> children;  // Sequence, Alternation
    int body = -1;              // Repeat, Look
    std::size_t min = 0, max = 0;
    bool greedy = true;

    bool item_matches(const Item& item, char32_t c) const {
        bool in = false;
        switch (item.cls) {
            case Item::Class::Range:
                in = c >= item.lo && c <= item.hi;
                break;
            case Item::Class::Space:
                in = is_unicode_white_space(c);
                break;
            case Item::Class::Word:
                in = is_regex_word_char(c);
                break;
            case Item::Class::Digit:
                in = category(c) == UTF8PROC_CATEGORY_ND;
                break;
            case Item::Class::Categories:
                in = (item.categories & bit(category(c))) != 0;
                break;
            case Item::Class::NotNewline:
                in = c != '\n';
                break;
        }
        return in != item.negated;
    }
    bool set_matches_exactly(char32_t c) const {
        for (const auto& item : items)
            if (item_matches(item, c)) return !negated;
        return negated;
    }
    bool set_matches(char32_t c) const {
        if (set_matches_exactly(c)) return true;
        if (!ignore_case) return false;
        const auto i = static_cast<utf8proc_int32_t>(c);
        return set_matches_exactly(static_cast<char32_t>(utf8proc_tolower(i))) ||
               set_matches_exactly(static_cast<char32_t>(utf8proc_toupper(i)));
    }
};

namespace {

using Node = TokenizerRegex::Node;
using Item = Node::Item;

class Parser {
public:
    Parser(const std::string& pattern, std::vector<Node>& nodes) : pattern_(pattern), nodes_(nodes) {
        auto p = reinterpret_cast<const utf8proc_uint8_t*>(pattern.data());
        auto left = static_cast<utf8proc_ssize_t>(pattern.size());
        while (left > 0) {
            utf8proc_int32_t cp = 0;
            const auto n = utf8proc_iterate(p, left, &cp);
            if (n <= 0) fail("not valid UTF-8");
            cps_.push_back(static_cast<char32_t>(cp));
            p += n;
            left -= n;
        }
    }

    int parse() {
        const int root = alternation(false);
        if (pos_ < cps_.size()) fail("an unmatched ')'");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error("regex \"" + pattern_ + "\": " + why +
                    " (emo's matcher knows literals, classes, \\s \\w \\d \\p{..}, "
                    "groups, (?i:), (?=), (?!), alternation and quantifiers)");
    }
    bool at_end() const { return pos_ >= cps_.size(); }
    char32_t peek() const { return cps_[pos_]; }
    int add(Node n) {
        nodes_.push_back(std::move(n));
        return static_cast<int>(nodes_.size() - 1);
    }

    int alternation(bool ignore_case) {
        Node alt;
        alt.kind = Node::Kind::Alternation;
        alt.children.push_back(sequence(ignore_case));
        while (!at_end() && peek() == '|') {
            ++pos_;
            alt.children.push_back(sequence(ignore_case));
        }
        return alt.children.size() == 1 ? alt.children[0] : add(std::move(alt));
    }

    int sequence(bool ignore_case) {
        Node seq;
        seq.kind = Node::Kind::Sequence;
        while (!at_end() && peek() != '|' && peek() != ')') {
            int atom_index = atom(ignore_case);
            atom_index = quantified(atom_index);
            seq.children.push_back(atom_index);
        }
        return add(std::move(seq));
    }

    std::size_t number() {
        std::size_t n = 0;
        bool any = false;
        while (!at_end() && peek() >= '0' && peek() <= '9') {
            n = n * 10 + (peek() - '0');
            if (n > 100000) fail("a repetition count too large");
            ++pos_;
            any = true;
        }
        if (!any) fail("a malformed {n,m} repetition");
        return n;
    }

    int quantified(int atom_index) {
        while (!at_end()) {
            const char32_t c = peek();
            std::size_t min = 0, max = std::numeric_limits<std::size_t>::max();
            if (c == '*') {
                ++pos_;
            } else if (c == '+') {
                min = 1;
                ++pos_;
            } else if (c == '?') {
                max = 1;
                ++pos_;
            } else if (c == '{') {
                ++pos_;
                min = number();
                if (!at_end() && peek() == ',') {
                    ++pos_;
                    if (!at_end() && peek() != '}') max = number();
                } else {
                    max = min;
                }
                if (at_end() || peek() != '}') fail("a malformed {n,m} repetition");
                ++pos_;
                if (max < min) fail("a {n,m} repetition with m < n");
            } else {
                return atom_index;
            }
            const auto kind = nodes_[static_cast<std::size_t>(atom_index)].kind;
            if (kind == Node::Kind::Begin || kind == Node::Kind::End || kind == Node::Kind::Look)
                fail("a quantifier after an anchor or look-ahead");
            Node rep;
            rep.kind = Node::Kind::Repeat;
            rep.body = atom_index;
            rep.min = min;
            rep.max = max;
            if (!at_end() && peek() == '?') {
                rep.greedy = false;
                ++pos_;
            } else if (!at_end() && peek() == '+') {
                fail("a possessive quantifier");
            }
            atom_index = add(std::move(rep));
        }
        return atom_index;
    }

    int set_node(std::vector<Item> items, bool negated, bool ignore_case) {
        Node n;
        n.kind = Node::Kind::Set;
        n.items = std::move(items);
        n.negated = negated;
        n.ignore_case = ignore_case;
        return add(std::move(n));
    }

    static Item range(char32_t lo, char32_t hi) {
        Item i;
        i.lo = lo;
        i.hi = hi;
        return i;
    }

    char32_t hex(std::size_t digits_max, bool braced) {
        char32_t v = 0;
        std::size_t digits = 0;
        while (!at_end() && digits < digits_max) {
            const char32_t c = peek();
            int d = c >= '0' && c <= '9'   ? int(c - '0')
                    : c >= 'a' && c <= 'f' ? int(c - 'a' + 10)
                    : c >= 'A' && c <= 'F' ? int(c - 'A' + 10)
                                           : -1;
            if (d < 0) break;
            v = v * 16 + static_cast<char32_t>(d);
            if (v > 0x10FFFF) fail("a code point beyond U+10FFFF");
            ++pos_;
            ++digits;
        }
        if (digits == 0) fail("a malformed \\x escape");
        if (braced) {
            if (at_end() || peek() != '}') fail("a malformed \\x{...} escape");
            ++pos_;
        }
        return v;
    }

    // The escape after a backslash, as a set item (in a class or alone).
    Item escape() {
        if (at_end()) fail("a trailing backslash");
        const char32_t c = cps_[pos_++];
        Item item;
        switch (c) {
            case 'd':
            case 'D':
                item.cls = Item::Class::Digit;
                item.negated = c == 'D';
                return item;
            case 's':
            case 'S':
                item.cls = Item::Class::Space;
                item.negated = c == 'S';
                return item;
            case 'w':
            case 'W':
                item.cls = Item::Class::Word;
                item.negated = c == 'W';
                return item;
            case 'n':
                return range('\n', '\n');
            case 'r':
                return range('\r', '\r');
            case 't':
                return range('\t', '\t');
            case 'f':
                return range('\f', '\f');
            case 'v':
                return range('\v', '\v');
            case 'x': {
                const bool braced = !at_end() && peek() == '{';
                if (braced) ++pos_;
                const auto v = hex(braced ? 8 : 2, braced);
                return range(v, v);
            }
            case 'u': {
                const auto v = hex(4, false);
                return range(v, v);
            }
            case 'p':
            case 'P': {
                if (at_end() || peek() != '{') fail("\\p without {name}");
                ++pos_;
                bool negated = c == 'P';
                if (!at_end() && peek() == '^') {
                    negated = !negated;
                    ++pos_;
                }
                std::string name;
                while (!at_end() && peek() != '}') name += static_cast<char>(cps_[pos_++] & 0x7F);
                if (at_end()) fail("\\p{ without }");
                ++pos_;
                item.cls = Item::Class::Categories;
                item.categories = category_mask(name);
                item.negated = negated;
                if (item.categories == 0) fail("the property \\p{" + name + "} (general categories only)");
                return item;
            }
            default:
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                    fail(std::string("the escape \\") + static_cast<char>(c));
                return range(c, c);  // an escaped punctuation character stands for itself
        }
    }

    int char_class(bool ignore_case) {
        bool negated = false;
        if (!at_end() && peek() == '^') {
            negated = true;
            ++pos_;
        }
        std::vector<Item> items;
        bool first = true;
        while (true) {
            if (at_end()) fail("a '[' without ']'");
            char32_t c = peek();
            if (c == ']' && !first) {
                ++pos_;
                break;
            }
            first = false;
            if (c == '[') fail("a nested class or POSIX bracket");
            if (c == '&' && pos_ + 1 < cps_.size() && cps_[pos_ + 1] == '&') fail("class intersection");
            ++pos_;
            Item item = c == '\\' ? escape() : range(c, c);
            // A range a-z (a '-' before ']' or after a class escape is itself).
            if (item.cls == Item::Class::Range && item.lo == item.hi && pos_ + 1 < cps_.size() && peek() == '-' &&
                cps_[pos_ + 1] != ']') {
                ++pos_;
                const char32_t d = cps_[pos_++];
                Item hi = d == '\\' ? escape() : range(d, d);
                if (hi.cls != Item::Class::Range || hi.lo < item.lo) fail("a malformed range in a class");
                item.hi = hi.lo;
            }
            items.push_back(item);
        }
        return set_node(std::move(items), negated, ignore_case);
    }

    int atom(bool ignore_case) {
        const char32_t c = cps_[pos_++];
        switch (c) {
            case '(': {
                bool group_case = ignore_case;
                int look = 0;  // 1: (?=, -1: (?!
                if (!at_end() && peek() == '?') {
                    ++pos_;
                    if (at_end()) fail("a malformed group");
                    const char32_t k = cps_[pos_++];
                    if (k == ':') {
                    } else if (k == '=') {
                        look = 1;
                    } else if (k == '!') {
                        look = -1;
                    } else if (k == 'i' && !at_end() && peek() == ':') {
                        ++pos_;
                        group_case = true;
                    } else {
                        fail("the group (?" + std::string(1, static_cast<char>(k & 0x7F)) + "...)");
                    }
                }
                const int inner = alternation(group_case);
                if (at_end() || peek() != ')') fail("a '(' without ')'");
                ++pos_;
                if (look == 0) return inner;
                Node n;
                n.kind = Node::Kind::Look;
                n.body = inner;
                n.negated = look < 0;
                return add(std::move(n));
            }
            case '[':
                return char_class(ignore_case);
            case '.': {
                Item any;
                any.cls = Item::Class::NotNewline;
                return set_node({any}, false, false);
            }
            case '^': {
                Node n;
                n.kind = Node::Kind::Begin;
                return add(std::move(n));
            }
            case '$': {
                Node n;
                n.kind = Node::Kind::End;
                return add(std::move(n));
            }
            case '\\':
                return set_node({escape()}, false, ignore_case);
            case '*':
            case '+':
            case '?':
            case '{':
                fail("a quantifier with nothing before it");
            case ')':
                fail("an unmatched ')'");
            default:
                return set_node({range(c, c)}, false, ignore_case);
        }
    }

    const std::string& pattern_;
    std::vector<Node>& nodes_;
    std::u32string cps_;
    std::size_t pos_ = 0;
};

// Backtracking in Oniguruma's order: alternatives left to right, greedy repeats longest first; `k` is what must
// match after the node (the continuation).
class Matcher {
public:
    using Cont = std::function<bool(std::size_t)>;
    Matcher(const std::vector<Node>& nodes, const std::u32string& text) : nodes_(nodes), text_(text) {}

    bool match(int index, std::size_t pos, const Cont& k) const {
        const Node& n = nodes_[static_cast<std::size_t>(index)];
        switch (n.kind) {
            case Node::Kind::Set:
                return pos < text_.size() && n.set_matches(text_[pos]) && k(pos + 1);
            case Node::Kind::Sequence:
                return sequence(n, 0, pos, k);
            case Node::Kind::Alternation:
                for (const int child : n.children)
                    if (match(child, pos, k)) return true;
                return false;
            case Node::Kind::Repeat:
                return repeat(n, pos, k);
            case Node::Kind::Look: {
                const bool found = match(n.body, pos, [](std::size_t) { return true; });
                return found != n.negated && k(pos);
            }
            case Node::Kind::Begin:
                return pos == 0 && k(pos);
            case Node::Kind::End:
                return pos == text_.size() && k(pos);
        }
        return false;
    }

private:
    bool sequence(const Node& n, std::size_t i, std::size_t pos, const Cont& k) const {
        if (i == n.children.size()) return k(pos);
        return match(n.children[i], pos, [&](std::size_t p) { return sequence(n, i + 1, p, k); });
    }

    bool repeat(const Node& n, std::size_t pos, const Cont& k) const {
        const Node& body = nodes_[static_cast<std::size_t>(n.body)];
        if (body.kind == Node::Kind::Set) {
            // One character per turn: count the run once and try its lengths without recursing per character.
            std::size_t run = 0;
            while (run < n.max && pos + run < text_.size() && body.set_matches(text_[pos + run])) ++run;
            if (run < n.min) return false;
            if (n.greedy) {
                for (std::size_t j = run + 1; j-- > n.min;)
                    if (k(pos + j)) return true;
            } else {
                for (std::size_t j = n.min; j <= run; ++j)
                    if (k(pos + j)) return true;
            }
            return false;
        }
        return repeat_from(n, 0, pos, k);
    }

    bool repeat_from(const Node& n, std::size_t count, std::size_t pos, const Cont& k) const {
        const auto more = [&] {
            if (count >= n.max) return false;
            return match(n.body, pos, [&](std::size_t p) {
                // An empty turn ends the repetition, so that (a*)* cannot loop.
                if (p == pos) return count + 1 >= n.min && k(p);
                return repeat_from(n, count + 1, p, k);
            });
        };
        if (n.greedy) return more() || (count >= n.min && k(pos));
        return (count >= n.min && k(pos)) || more();
    }

    const std::vector<Node>& nodes_;
    const std::u32string& text_;
};

}  // namespace

TokenizerRegex::TokenizerRegex(const std::string& pattern) {
    Parser parser(pattern, nodes_);
    root_ = parser.parse();
}

TokenizerRegex::~TokenizerRegex() = default;
TokenizerRegex::TokenizerRegex(const TokenizerRegex&) = default;
TokenizerRegex& TokenizerRegex::operator=(const TokenizerRegex&) = default;

std::vector<std::pair<std::size_t, std::size_t>> TokenizerRegex::find_all(std::string_view text) const {
    std::u32string cps;
    std::vector<std::size_t> offsets;  // byte offset of each code point, and the end
    cps.reserve(text.size());
    offsets.reserve(text.size() + 1);
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    std::size_t at = 0;
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) throw Error("invalid UTF-8");
        cps.push_back(static_cast<char32_t>(cp));
        offsets.push_back(at);
        p += n;
        left -= n;
        at += static_cast<std::size_t>(n);
    }
    offsets.push_back(at);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    const Matcher matcher(nodes_, cps);
    for (std::size_t start = 0; start <= cps.size();) {
        std::size_t end = 0;
        if (matcher.match(root_, start, [&](std::size_t e) {
                end = e;
                return true;
            })) {
            out.emplace_back(offsets[start], offsets[end]);
            start = end > start ? end : start + 1;
        } else {
            ++start;
        }
    }
    return out;
}

}  // namespace emo::text
