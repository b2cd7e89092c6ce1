// Tell GOV.UK Frontend's styles that JavaScript modules run here.
document.body.className += " js-enabled govuk-frontend-supported";
