#!/usr/bin/env python3
"""Writes `<name>.expected.json` beside every `<name>.sse` recording in this folder.

An oracle independent of the library's C# parsers: it reads each recording with Python's json module and
applies the mapping the library documents for each API (below). The parser tests check the C# parsers
against these files exactly. Run it again after adding or rebuilding a recording, then read the diff.

Both APIs: an event's kind is its data's `type` (the `event:` line says the same); events this does not
name are skipped. `text` is the answer, `reasoning` the model's thinking (never part of the answer),
`refusal` what the model or server said instead of an answer, `finish` the server's own finish value,
`terminal` whether the stream's own end marker arrived, `error` the first error the stream carried,
`usage` the server's token counts (null when the stream never reported final usage).

OpenAI Responses:
  text       = response.output_text.delta `delta`s, every output item, joined as they come (OpenAI's SDKs join
               output_text parts the same way, with nothing between them)
  reasoning  = response.reasoning_summary_text.delta and response.reasoning_text.delta `delta`s; a new summary
               part (response.reasoning_summary_part.added) after earlier reasoning adds a blank line first
  refusal    = response.refusal.delta `delta`s
  finish     = "completed" on response.completed; incomplete_details.reason (else "incomplete") on response.incomplete
  terminal   = response.completed or response.incomplete arrived
  error      = an `error` event (`error` object, else its top-level code/message) or response.failed (response.error)
  usage      = the terminal response's usage: input_tokens, output_tokens, total_tokens,
               input_tokens_details.cached_tokens, output_tokens_details.reasoning_tokens
  id, model  = response.id and response.model of the first response.* event that carries them
Anthropic Messages:
  text       = text of content_block_start text blocks, then text_delta `text`s
  reasoning  = thinking of content_block_start thinking blocks and thinking_delta `thinking`s; a thinking block
               after earlier reasoning adds a blank line first (signature_delta and redacted_thinking carry none)
  refusal    = message_delta delta.stop_details.explanation when stop_reason is "refusal"
  finish     = message_delta delta.stop_reason
  terminal   = message_stop arrived
  error      = an `error` event's `error` object
  usage      = message_start's message.usage updated by each message_delta's usage (counts are cumulative;
               a field message_delta leaves out keeps its value): input = input_tokens + cache_creation_input_tokens
               + cache_read_input_tokens, output = output_tokens, total = input + output, cached =
               cache_read_input_tokens, reasoning = output_tokens_details.thinking_tokens; null without message_delta
  id, model  = message_start's message.id and message.model
"""
import json, os, sys


def sse_events(body):
    """(event type, data) per dispatched event, as the SSE specification parses them (any line ending)."""
    text = body.decode('utf-8', errors='replace').replace('\r\n', '\n').replace('\r', '\n')
    events, kind, data = [], None, []
    for line in text.split('\n'):
        if line == '':
            if data:
                events.append((kind or 'message', '\n'.join(data)))
            kind, data = None, []
            continue
        if line.startswith(':'):
            continue
        field, _, value = line.partition(':')
        value = value[1:] if value.startswith(' ') else value
        if field == 'event':
            kind = value
        elif field == 'data':
            data.append(value)
    # "If the file ends in the middle of an event, before the final empty line, the incomplete event is not dispatched."
    return events


def responses(events):
    r = dict(text='', reasoning='', refusal='', finish=None, terminal=False, error=None, usage=None, id=None, model=None)
    for _, data in events:
        if data.strip() == '[DONE]':
            continue
        d = json.loads(data)
        t = d.get('type')
        resp = d.get('response') if isinstance(d.get('response'), dict) else None
        if resp is not None:
            r['id'] = r['id'] or resp.get('id') or None
            r['model'] = r['model'] or resp.get('model') or None
        if t == 'response.output_text.delta':
            r['text'] += d['delta']
        elif t in ('response.reasoning_summary_text.delta', 'response.reasoning_text.delta'):
            r['reasoning'] += d['delta']
        elif t == 'response.reasoning_summary_part.added':
            if r['reasoning']:
                r['reasoning'] += '\n\n'
        elif t == 'response.refusal.delta':
            r['refusal'] += d['delta']
        elif t in ('response.completed', 'response.incomplete'):
            r['terminal'] = True
            r['finish'] = 'completed' if t == 'response.completed' else ((resp.get('incomplete_details') or {}).get('reason') or 'incomplete')
            r['usage'] = responses_usage(resp.get('usage'))
        elif t == 'response.failed':
            e = resp.get('error') or {}
            r['error'] = r['error'] or dict(type=e.get('type'), code=e.get('code'), message=e.get('message'))
            r['usage'] = r['usage'] or responses_usage(resp.get('usage'))
        elif t == 'error':
            e = d.get('error') if isinstance(d.get('error'), dict) else d
            r['error'] = r['error'] or dict(type=e.get('type') if e is not d else None, code=e.get('code'), message=e.get('message'))
    return r


def responses_usage(u):
    if not u:
        return None
    return dict(input=u.get('input_tokens', 0), output=u.get('output_tokens', 0),
                total=u.get('total_tokens', u.get('input_tokens', 0) + u.get('output_tokens', 0)),
                cached=(u.get('input_tokens_details') or {}).get('cached_tokens'),
                reasoning=(u.get('output_tokens_details') or {}).get('reasoning_tokens'))


def anthropic(events):
    r = dict(text='', reasoning='', refusal='', finish=None, terminal=False, error=None, usage=None, id=None, model=None)
    state = {}
    for _, data in events:
        d = json.loads(data)
        t = d.get('type')
        if t == 'message_start':
            m = d['message']
            r['id'], r['model'] = m.get('id') or None, m.get('model') or None
            merge(state, m.get('usage') or {})
        elif t == 'content_block_start':
            block = d['content_block']
            if block.get('type') == 'text' and block.get('text'):
                r['text'] += block['text']
            elif block.get('type') == 'thinking':
                if r['reasoning']:
                    r['reasoning'] += '\n\n'
                r['reasoning'] += block.get('thinking') or ''
        elif t == 'content_block_delta':
            delta = d['delta']
            if delta.get('type') == 'text_delta':
                r['text'] += delta['text']
            elif delta.get('type') == 'thinking_delta':
                r['reasoning'] += delta['thinking']
        elif t == 'message_delta':
            delta = d.get('delta') or {}
            if delta.get('stop_reason'):
                r['finish'] = delta['stop_reason']
                if delta['stop_reason'] == 'refusal':
                    r['refusal'] = (delta.get('stop_details') or {}).get('explanation') or ''
            merge(state, d.get('usage') or {})
            inp = state.get('input_tokens', 0) + state.get('cache_creation_input_tokens', 0) + state.get('cache_read_input_tokens', 0)
            out = state.get('output_tokens', 0)
            r['usage'] = dict(input=inp, output=out, total=inp + out, cached=state.get('cache_read_input_tokens'),
                              reasoning=state.get('thinking_tokens'))
        elif t == 'message_stop':
            r['terminal'] = True
        elif t == 'error':
            e = d.get('error') or {}
            r['error'] = r['error'] or dict(type=e.get('type'), code=None, message=e.get('message'))
    return r


def merge(state, usage):
    for key in ('input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens'):
        if isinstance(usage.get(key), int):
            state[key] = usage[key]
    details = usage.get('output_tokens_details')
    if isinstance(details, dict) and isinstance(details.get('thinking_tokens'), int):
        state['thinking_tokens'] = details['thinking_tokens']


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for folder, derive in (('openai-responses', responses), ('anthropic-messages', anthropic)):
        for name in sorted(os.listdir(os.path.join(here, folder))):
            if not name.endswith('.sse'):
                continue
            path = os.path.join(here, folder, name)
            with open(path, 'rb') as f:
                expected = derive(sse_events(f.read()))
            with open(path[:-len('.sse')] + '.expected.json', 'w', encoding='utf-8', newline='\n') as f:
                json.dump(expected, f, ensure_ascii=False, indent=2)
                f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
