#include "core/state_dict_pickle.hpp"

#include <emo/emo.hpp>

#include <cstring>
#include <map>
#include <memory>

namespace emo::core {

namespace {

// A value on the pickle machine's stack. Values live in the machine's arena and refer to each other by plain
// pointers: pickle's memo lets a container hold itself, which shared ownership would leak and nested destruction
// could overflow the stack on.
struct Value;
using Ref = Value*;

struct Value {
    enum class Kind { none, boolean, integer, real, string, tuple, list, dict, global, storage, tensor, mark };
    Kind kind = Kind::none;
    std::int64_t integer = 0;
    std::string text;                          // string; global "module name"; storage key
    std::vector<Ref> items;                    // tuple, list
    std::vector<std::pair<Ref, Ref>> entries;  // dict
    PickledTensor tensor;                      // tensor; storage (type, key, elements)
};

class Machine {
public:
    Machine(std::string_view data, const std::string& origin) : data_(data), origin_(origin) {}

    std::vector<PickledTensor> run();

private:
    Ref make(Value::Kind kind) {
        if (arena_.size() >= max_values) fail("more values than a state dict holds");
        arena_.push_back(std::make_unique<Value>());
        arena_.back()->kind = kind;
        return arena_.back().get();
    }
    static constexpr std::size_t max_values = 1u << 24;
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(origin_ + ": pickle at byte " + std::to_string(pos_) + ": " + what);
    }
    std::string_view take(std::size_t n) {
        if (n > data_.size() - pos_) fail("truncated");
        auto s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::uint64_t little(std::size_t n) {
        const auto s = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
        return v;
    }
    std::string line() {
        const auto end = data_.find('\n', pos_);
        if (end == std::string_view::npos) fail("truncated");
        std::string s(data_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return s;
    }
    void push(Ref v) {
        if (stack_.size() > 100000) fail("stack too deep for a state dict");
        stack_.push_back(std::move(v));
    }
    Ref pop() {
        if (stack_.empty() || stack_.back()->kind == Value::Kind::mark) fail("stack underflow");
        auto v = stack_.back();
        stack_.pop_back();
        return v;
    }
    Ref& top() {
        if (stack_.empty() || stack_.back()->kind == Value::Kind::mark) fail("stack underflow");
        return stack_.back();
    }
    // Everything above the topmost mark, which is removed.
    std::vector<Ref> pop_to_mark() {
        std::size_t i = stack_.size();
        while (i > 0 && stack_[i - 1]->kind != Value::Kind::mark) --i;
        if (i == 0) fail("no mark on the stack");
        std::vector<Ref> items(stack_.begin() + static_cast<std::ptrdiff_t>(i), stack_.end());
        stack_.resize(i - 1);
        return items;
    }
    void push_tuple(std::vector<Ref> items) {
        auto t = make(Value::Kind::tuple);
        t->items = std::move(items);
        push(t);
    }
    void push_global(const std::string& module, const std::string& name);
    Ref call(const Ref& callable, const Ref& args);
    Ref persistent(const Ref& pid);
    void set_items(const Ref& dict, std::vector<Ref> items);
    std::uint64_t non_negative(const Ref& v, const char* what) {
        if (v->kind != Value::Kind::integer || v->integer < 0)
            fail(std::string(what) + " is not a non-negative integer");
        return static_cast<std::uint64_t>(v->integer);
    }

    std::string_view data_;
    const std::string& origin_;
    std::size_t pos_ = 0;
    std::vector<Ref> stack_;
    std::map<std::uint64_t, Ref> memo_;
    std::vector<std::unique_ptr<Value>> arena_;
};

// The globals a state dict needs; anything else (os.system, builtins.eval, ...) is refused by name.
void Machine::push_global(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    static const char* allowed[] = {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                                    "torch._utils._rebuild_parameter"};
    bool ok = module == "torch" && name.size() > 7 && name.ends_with("Storage");
    for (const char* a : allowed) ok = ok || full == a;
    if (!ok) fail("refusing global '" + full + "' (a checkpoint's pickle may only hold tensors)");
    auto g = make(Value::Kind::global);
    g->text = full;
    push(g);
}

Ref Machine::persistent(const Ref& pid) {
    // ('storage', torch.FloatStorage, key, location, elements)
    if (pid->kind != Value::Kind::tuple || pid->items.size() != 5 || pid->items[0]->text != "storage" ||
        pid->items[1]->kind != Value::Kind::global || pid->items[2]->kind != Value::Kind::string)
        fail("a persistent id that is not a storage");
    auto s = make(Value::Kind::storage);
    s->tensor.storage_type = pid->items[1]->text.substr(6);  // after "torch."
    s->tensor.storage_key = pid->items[2]->text;
    s->tensor.storage_elements = non_negative(pid->items[4], "a storage's size");
    return s;
}

Ref Machine::call(const Ref& callable, const Ref& args) {
    if (callable->kind != Value::Kind::global) fail("calling something that is not a known global");
    if (args->kind != Value::Kind::tuple) fail("call arguments are not a tuple");
    const auto& a = args->items;
    if (callable->text == "collections.OrderedDict") {
        if (!a.empty()) fail("OrderedDict with arguments");
        return make(Value::Kind::dict);
    }
    if (callable->text == "torch._utils._rebuild_parameter") {
        if (a.empty() || a[0]->kind != Value::Kind::tensor) fail("_rebuild_parameter without a tensor");
        return a[0];
    }
    if (callable->text == "torch._utils._rebuild_tensor_v2") {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.size() < 4 || a[0]->kind != Value::Kind::storage || a[2]->kind != Value::Kind::tuple ||
            a[3]->kind != Value::Kind::tuple || a[2]->items.size() != a[3]->items.size())
            fail("malformed _rebuild_tensor_v2 arguments");
        auto t = make(Value::Kind::tensor);
        t->tensor = a[0]->tensor;
        t->tensor.offset = non_negative(a[1], "a tensor's offset");
        for (const auto& d : a[2]->items) t->tensor.shape.push_back(non_negative(d, "a tensor dimension"));
        for (const auto& d : a[3]->items) t->tensor.stride.push_back(non_negative(d, "a tensor stride"));
        return t;
    }
    fail("calling '" + callable->text + "' is not allowed");  // storages are only named, never called
}

void Machine::set_items(const Ref& dict, std::vector<Ref> items) {
    if (dict->kind != Value::Kind::dict) fail("setting items of something that is not a dict");
    if (items.size() % 2) fail("odd number of dict items");
    for (std::size_t i = 0; i < items.size(); i += 2) dict->entries.emplace_back(items[i], items[i + 1]);
}

std::vector<PickledTensor> Machine::run() {
    for (;;) {
        const auto op = static_cast<unsigned char>(take(1)[0]);
        switch (op) {
            case 0x80:
                take(1);
                break;  // PROTO
            case 0x95:
                take(8);
                break;  // FRAME (protocol 4): framing only
            case '(':
                push(make(Value::Kind::mark));
                break;   // MARK
            case '.': {  // STOP
                const auto result = pop();
                if (result->kind != Value::Kind::dict) fail("the pickle is not a dict of tensors");
                std::vector<PickledTensor> out;
                for (const auto& [key, value] : result->entries) {
                    if (key->kind != Value::Kind::string) fail("a state dict key that is not a string");
                    if (value->kind != Value::Kind::tensor) continue;  // non-tensor entries (rare metadata) are skipped
                    out.push_back(value->tensor);
                    out.back().name = key->text;
                }
                return out;
            }
            case 'N':
                push(make(Value::Kind::none));
                break;
            case 0x88:
            case 0x89: {  // NEWTRUE, NEWFALSE
                auto b = make(Value::Kind::boolean);
                b->integer = op == 0x88;
                push(b);
                break;
            }
            case 'J':
            case 'K':
            case 'M':
            case 0x8a: {  // BININT, BININT1, BININT2, LONG1
                auto v = make(Value::Kind::integer);
                if (op == 'J')
                    v->integer = static_cast<std::int32_t>(little(4));
                else if (op == 'K')
                    v->integer = static_cast<std::int64_t>(little(1));
                else if (op == 'M')
                    v->integer = static_cast<std::int64_t>(little(2));
                else {
                    const auto n = little(1);
                    if (n > 8) fail("integer too large");
                    const auto raw = n ? little(n) : 0;
                    v->integer = n == 0   ? 0
                                 : n == 8 ? static_cast<std::int64_t>(raw)
                                          : (static_cast<std::int64_t>(raw << (64 - 8 * n)) >> (64 - 8 * n));
                }
                push(v);
                break;
            }
            case 'G': {  // BINFLOAT (big-endian double): only metadata uses it
                take(8);
                push(make(Value::Kind::real));
                break;
            }
            case 'X':
            case 0x8c:
            case 0x8d:
            case 'U':
            case 'T': {  // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, strings
                const std::size_t width = op == 0x8c || op == 'U' ? 1 : op == 0x8d ? 8 : 4;
                auto s = make(Value::Kind::string);
                s->text = std::string(take(static_cast<std::size_t>(little(width))));
                push(s);
                break;
            }
            case 'c': {  // GLOBAL "module\nname\n"
                auto module = line();
                auto name = line();
                push_global(module, name);
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                auto name = pop(), module = pop();
                if (name->kind != Value::Kind::string || module->kind != Value::Kind::string)
                    fail("malformed STACK_GLOBAL");
                push_global(module->text, name->text);
                break;
            }
            case '}':
                push(make(Value::Kind::dict));
                break;
            case ']':
                push(make(Value::Kind::list));
                break;
            case ')':
                push_tuple({});
                break;
            case 't':
                push_tuple(pop_to_mark());
                break;
            case 0x85: {
                auto a = pop();
                push_tuple({a});
                break;
            }
            case 0x86: {
                auto b = pop(), a = pop();
                push_tuple({a, b});
                break;
            }
            case 0x87: {
                auto c = pop(), b = pop(), a = pop();
                push_tuple({a, b, c});
                break;
            }
            case 'q':
                memo_[little(1)] = top();
                break;  // BINPUT
            case 'r':
                memo_[little(4)] = top();
                break;  // LONG_BINPUT
            case 0x94:
                memo_[memo_.size()] = top();
                break;  // MEMOIZE
            case 'h':
            case 'j': {  // BINGET, LONG_BINGET
                auto it = memo_.find(little(op == 'h' ? 1 : 4));
                if (it == memo_.end()) fail("memo entry missing");
                push(it->second);
                break;
            }
            case 's': {
                auto value = pop(), key = pop();
                set_items(top(), {key, value});
                break;
            }  // SETITEM
            case 'u': {
                auto items = pop_to_mark();
                set_items(top(), std::move(items));
                break;
            }  // SETITEMS
            case 'a': {
                auto v = pop();
                if (top()->kind != Value::Kind::list) fail("APPEND to a non-list");
                top()->items.push_back(v);
                break;
            }
            case 'e': {
                auto items = pop_to_mark();
                if (top()->kind != Value::Kind::list) fail("APPENDS to a non-list");
                for (auto& v : items) top()->items.push_back(v);
                break;
            }
            case 'R': {
                auto args = pop(), callable = pop();
                push(call(callable, args));
                break;
            }  // REDUCE
            case 'b':
                pop();
                break;  // BUILD: a dict's or tensor's extra state (OrderedDict's _metadata), not needed
            case 'Q':
                push(persistent(pop()));
                break;  // BINPERSID
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", op);
                fail(std::string("unsupported opcode ") + hex + " (not part of a state dict)");
            }
        }
    }
}

}  // namespace

std::vector<PickledTensor> read_state_dict_pickle(std::string_view pickle, const std::string& origin) {
    return Machine(pickle, origin).run();
}

}  // namespace emo::core
