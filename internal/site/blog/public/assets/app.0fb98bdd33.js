// MyBlog front end: plain JavaScript, no framework. Every page loads this
// file and <body data-page="..."> picks what runs. The blog API lives on the
// same domain under /api/ (CloudFront routes it to API Gateway), so no CORS
// is involved. Text from the API is only ever set with textContent.
'use strict';

const API = '/api';

// api calls the blog API and returns the decoded JSON body, or throws an
// Error carrying the API's error code, message and field.
async function api(path, options = {}) {
  const response = await fetch(API + path, {
    ...options,
    headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: fall through with the status alone.
  }
  if (!response.ok) {
    const err = new Error((body && body.error && body.error.message) || `The server answered ${response.status}.`);
    err.status = response.status;
    err.code = body && body.error && body.error.code;
    err.field = body && body.error && body.error.field;
    throw err;
  }
  return body;
}

function $(selector) {
  return document.querySelector(selector);
}

function setStatus(text, isError = false) {
  const status = $('[data-status]');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

// The post list, newest first, a page at a time.
function listPage() {
  const list = $('[data-posts]');
  const more = $('[data-more]');
  let cursor = '';

  async function load() {
    more.disabled = true;
    try {
      const query = new URLSearchParams({ limit: '10' });
      if (cursor) query.set('cursor', cursor);
      const page = await api('/posts?' + query);
      for (const post of page.items) {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = '/post.html?slug=' + encodeURIComponent(post.slug);
        link.textContent = post.title;
        const meta = document.createElement('p');
        meta.className = 'meta';
        meta.textContent = formatDate(post.publishedAt);
        item.append(link, meta);
        list.append(item);
      }
      cursor = page.nextCursor || '';
      more.hidden = !cursor;
      setStatus(list.children.length === 0 ? 'No posts yet.' : '');
    } catch (err) {
      setStatus('Could not load posts: ' + err.message, true);
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', load);
  load();
}

// One post, named by ?slug=.
async function postPage() {
  const slug = new URLSearchParams(location.search).get('slug') || '';
  const title = $('[data-title]');
  try {
    if (!slug) throw Object.assign(new Error('No post was named.'), { status: 404 });
    const post = await api('/posts/' + encodeURIComponent(slug));
    document.title = post.title + ' · MyBlog';
    title.textContent = post.title;
    $('[data-meta]').textContent = formatDate(post.publishedAt);
    const body = $('[data-body]');
    for (const paragraph of post.body.split(/\n\s*\n/)) {
      const p = document.createElement('p');
      p.textContent = paragraph;
      body.append(p);
    }
  } catch (err) {
    title.textContent = err.status === 404 ? 'Post not found' : 'Could not load the post';
    setStatus(err.status === 404 ? 'There is no post at this address.' : err.message, true);
  }
}

// The sign-up form: the API validates; its field errors show next to the
// field they are about.
function signupPage() {
  const form = $('[data-signup]');
  const button = form.querySelector('button');

  function showFieldError(field, message) {
    for (const el of form.querySelectorAll('[data-error-for]')) {
      const mine = el.dataset.errorFor === field;
      el.textContent = mine ? message : '';
      form.elements[el.dataset.errorFor].setAttribute('aria-invalid', String(mine));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFieldError('', '');
    setStatus('');
    button.disabled = true;
    try {
      // The answer is the same whether or not the address has signed up
      // before: the API does not tell who has an account.
      const accepted = await api('/users', {
        method: 'POST',
        body: JSON.stringify({ name: form.elements.name.value.trim(), email: form.elements.email.value.trim() }),
      });
      form.reset();
      setStatus(accepted.message);
    } catch (err) {
      if (err.field && form.elements[err.field]) {
        showFieldError(err.field, err.message);
      } else {
        setStatus('Could not sign you up: ' + err.message, true);
      }
    } finally {
      button.disabled = false;
    }
  });
}

const pages = { list: listPage, post: postPage, signup: signupPage };
(pages[document.body.dataset.page] || (() => {}))();
